import Testing
@testable import ChunkStore

@Suite struct ExportStateTests {
    @Test func stateFileRoundTrips() {
        let state = ExportState(selection: 0xDEAD_BEEF, days: [
            20454: .init(fingerprint: 1, rows: 10), -1: .init(fingerprint: .max, rows: 0),
        ])
        let bytes = state.encoded()
        #expect(ExportState.decode(bytes) == state)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("chunkstore-export-state 1\nselection 00000000deadbeef\nday 1969-12-31 ffffffffffffffff 0\nday 2026-01-01 0000000000000001 10\ncrc32c "))
    }

    @Test func damagedStateIsIgnored() {
        var bytes = ExportState(selection: 7, days: [3: .init(fingerprint: 9, rows: 1)]).encoded()
        for i in [0, 10, bytes.count - 3] {
            var damaged = bytes
            damaged[i] ^= 0x01
            #expect(ExportState.decode(damaged) == nil, "byte \(i)")
        }
        bytes.removeLast(5)
        #expect(ExportState.decode(bytes) == nil)
        #expect(ExportState.decode([]) == nil)
    }

    @Test func dayNamesParseBack() {
        for day: Int64 in [-719_162, -1, 0, 20454, 2_932_896] {
            #expect(ExportState.parseDay(ExportDay.name(day)) == day)
        }
        #expect(ExportState.parseDay("2026-02-30") == nil)
        #expect(ExportDay.of(-1) == -1 && ExportDay.of(0) == 0 && ExportDay.of(ExportDay.nanosPerDay) == 1)
    }
}
