import Dispatch

/// Encodes the chunks of a seal's commit or a rewrite two at a time, on both cores, and
/// hands them back in the order they were added, so that sequence numbers, file offsets
/// and index entries come out exactly as one thread would make them.
///
/// Encoding a chunk (bit packing, its rollup, LZ4) is pure work on its rows; only the
/// appends to the data file must be in order. Without this, the seal at a store's close
/// and every compaction encoded chunk after chunk on one core while the other waited.
///
/// Chunks are added with their sequence numbers already given; at most two wait, so the
/// rows held beyond the caller's are at most two chunks'.
///
/// The second thread is used only while ``usesSecondThread`` is set: by work a caller
/// waits for (a flush, a close, an explicit compaction). A background seal during an
/// ingest already runs beside the parsing thread and the appending one; splitting it too
/// only took CPU from the parser on a machine with two cores.
struct ChunkEncodingQueue {
    /// One chunk to encode.
    struct Chunk {
        let device: String
        let day: Int32
        let sequence: UInt64
        let walLSN: UInt64
        let rows: ColumnarRows
        /// The caller's label for the chunk (its device's slot in the caller's lists).
        let tag: Int
    }

    /// What `emit` is given for each encoded chunk, in the order the chunks were added.
    typealias Emit = (_ chunk: Chunk, _ record: ByteWriter, _ header: ChunkHeader) throws -> Void

    /// Two chunks with fewer rows than this together are encoded on the calling thread:
    /// a live store's small seals would spend more on waking a second thread than they save.
    static let parallelRows = 2_048

    /// Whether pairs of chunks are encoded on two threads (see above).
    var usesSecondThread = false

    private var pending: [Chunk] = []
    /// One encoder (with its scratch buffers) and one output per lane, kept between uses.
    private var encoders = [ChunkEncoder(), ChunkEncoder()]
    private var records = [ByteWriter(), ByteWriter()]
    private var headers: [ChunkHeader?] = [nil, nil]
    private var second: SecondLane?

    /// Queues `chunk`; when two are waiting, encodes both and emits them in order.
    mutating func add(_ chunk: Chunk, emit: Emit) rethrows {
        pending.append(chunk)
        if pending.count == 2 { try drain(emit: emit) }
    }

    /// Forgets chunks added but not yet emitted. A commit or rewrite that fails between
    /// two ``add(_:emit:)`` calls (a damaged chunk it had to read) leaves one behind, and
    /// it must not be emitted into the next commit.
    mutating func discardPending() {
        pending.removeAll(keepingCapacity: true)
    }

    /// Encodes and emits whatever is waiting. Call it after the last ``add(_:emit:)``.
    /// When `emit` throws, the chunks not yet emitted are dropped (the caller abandons the
    /// commit it was writing).
    mutating func drain(emit: Emit) rethrows {
        defer { pending.removeAll(keepingCapacity: true) }
        let count = pending.count
        guard count > 0 else { return }
        let parallel = count == 2 && usesSecondThread
            && pending[0].rows.rowCount + pending[1].rows.rowCount >= Self.parallelRows
        let second = parallel ? (self.second ?? SecondLane()) : nil
        if let second { self.second = second }
        let chunks = pending
        encoders.withUnsafeMutableBufferPointer { encoders in
            records.withUnsafeMutableBufferPointer { records in
                headers.withUnsafeMutableBufferPointer { headers in
                    let lanes = Lanes(encoders: encoders, records: records, headers: headers, chunks: chunks)
                    if let second {
                        // Lane 1 on the second lane's thread, lane 0 here; the semaphore
                        // orders lane 1's writes before this thread reads them.
                        second.queue.async {
                            lanes.encode(1)
                            second.done.signal()
                        }
                        lanes.encode(0)
                        second.done.wait()
                    } else {
                        for lane in 0..<count { lanes.encode(lane) }
                    }
                }
            }
        }
        for lane in 0..<count {
            guard let header = headers[lane] else { continue }
            try emit(pending[lane], records[lane], header)
        }
    }

    /// The second lane's thread, made on first use. A serial queue always gets a thread
    /// of its own; `DispatchQueue.concurrentPerform` ran both lanes on the caller whenever
    /// the sealer's and the ingest's queue threads held the pool's width.
    private final class SecondLane: Sendable {
        let queue = DispatchQueue(label: "chunkstore.encoder")
        let done = DispatchSemaphore(value: 0)
    }

    /// The lanes' storage as seen from both threads: each lane touches only its own
    /// encoder, output and header slot.
    private struct Lanes: @unchecked Sendable {
        let encoders: UnsafeMutableBufferPointer<ChunkEncoder>
        let records: UnsafeMutableBufferPointer<ByteWriter>
        let headers: UnsafeMutableBufferPointer<ChunkHeader?>
        let chunks: [Chunk]

        func encode(_ lane: Int) {
            let chunk = chunks[lane]
            records[lane].reset()
            headers[lane] = encoders[lane].encode(device: chunk.device, day: chunk.day, sequence: chunk.sequence,
                                                  walLSN: chunk.walLSN, rows: chunk.rows, into: &records[lane])
        }
    }
}
