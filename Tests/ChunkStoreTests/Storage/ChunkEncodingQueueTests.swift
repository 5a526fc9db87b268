import Testing
@testable import ChunkStore

/// Chunks encoded two at a time on two threads must come back in the order they were
/// added, each byte for byte what one encoder on one thread makes of it.
@Suite struct ChunkEncodingQueueTests {
    /// `n` rows of two fields with values that differ per chunk (`salt`), some missing.
    private func rows(_ n: Int, salt: Int) -> ColumnarRows {
        let start = Int64(salt) * 86_400_000_000_000 / 7
        var power: [UInt64] = [], count: [UInt64] = [], present: [Bool] = []
        for i in 0..<n {
            power.append((Double(salt) * 10 + Double(i % 997) / 10).bitPattern)
            count.append(UInt64(bitPattern: Int64(i * salt - 500)))
            present.append((i + salt) % 13 != 0)
        }
        var presence = Bitmap(count: 0, value: false)
        for p in present { presence.append(p) }
        return ColumnarRows(timestamps: (0..<n).map { start + Int64($0) * 5_000_000_000 }, columns: [
            FieldColumn(name: "power", type: .float, bits: power, present: Bitmap(count: n, value: true)),
            FieldColumn(name: "count", type: .int, bits: count, present: presence),
        ])
    }

    /// Sizes below, at and far above the two-thread threshold, and an odd count so the last
    /// chunk is drained alone.
    @Test(arguments: [[3, 5, 7], [1_024, 1_024, 1, 9_000, 4_000], [8_192, 8_192, 8_192, 8_192, 100]], [true, false])
    func chunksComeBackInOrderAndByteForByte(sizes: [Int], twoThreads: Bool) throws {
        var chunks: [ChunkEncodingQueue.Chunk] = []
        for (k, n) in sizes.enumerated() {
            chunks.append(ChunkEncodingQueue.Chunk(device: "meter-\(k % 2)", day: Int32(k), sequence: UInt64(100 + k),
                                                   walLSN: UInt64(7 * k), rows: rows(n, salt: k + 1), tag: k))
        }
        var queue = ChunkEncodingQueue()
        queue.usesSecondThread = twoThreads
        var emitted: [(tag: Int, bytes: [UInt8], header: ChunkHeader)] = []
        let emit: ChunkEncodingQueue.Emit = { chunk, record, header in emitted.append((chunk.tag, record.bytes, header)) }
        // Twice through the same queue: its encoders and outputs are reused.
        for _ in 0..<2 {
            emitted.removeAll()
            for chunk in chunks { try queue.add(chunk, emit: emit) }
            try queue.drain(emit: emit)
            #expect(emitted.map(\.tag) == Array(sizes.indices))
            var alone = ChunkEncoder()
            for (chunk, got) in zip(chunks, emitted) {
                var record = ByteWriter()
                let header = alone.encode(device: chunk.device, day: chunk.day, sequence: chunk.sequence,
                                          walLSN: chunk.walLSN, rows: chunk.rows, into: &record)
                #expect(got.bytes == record.bytes, "chunk \(chunk.tag)")
                #expect(got.header == header, "chunk \(chunk.tag)")
            }
        }
    }

    /// An `emit` that throws stops the drain there; the queue is empty and usable after.
    @Test func aThrowingEmitDropsTheRestAndLeavesTheQueueEmpty() {
        struct Stop: Error {}
        var queue = ChunkEncodingQueue()
        queue.usesSecondThread = true
        var seen: [Int] = []
        let chunk = { (k: Int) in
            ChunkEncodingQueue.Chunk(device: "m", day: 0, sequence: UInt64(k), walLSN: 0, rows: self.rows(2_000, salt: k + 1), tag: k)
        }
        queue.add(chunk(0), emit: { _, _, _ in })
        #expect(throws: Stop.self) {
            try queue.add(chunk(1), emit: { chunk, _, _ in seen.append(chunk.tag); throw Stop() })
        }
        #expect(seen == [0])
        queue.drain(emit: { chunk, _, _ in seen.append(chunk.tag) })
        #expect(seen == [0])
        queue.add(chunk(2), emit: { chunk, _, _ in seen.append(chunk.tag) })
        queue.drain(emit: { chunk, _, _ in seen.append(chunk.tag) })
        #expect(seen == [0, 2])
    }

    /// A chunk left waiting by a commit that failed is not emitted by the next one.
    @Test func discardedChunksAreNotEmittedLater() {
        var queue = ChunkEncodingQueue()
        let chunk = { (k: Int) in
            ChunkEncodingQueue.Chunk(device: "m", day: 0, sequence: UInt64(k), walLSN: 0, rows: self.rows(10, salt: k + 1), tag: k)
        }
        var seen: [Int] = []
        queue.add(chunk(0), emit: { chunk, _, _ in seen.append(chunk.tag) })
        queue.discardPending()
        queue.add(chunk(1), emit: { chunk, _, _ in seen.append(chunk.tag) })
        queue.drain(emit: { chunk, _, _ in seen.append(chunk.tag) })
        #expect(seen == [1])
    }
}
