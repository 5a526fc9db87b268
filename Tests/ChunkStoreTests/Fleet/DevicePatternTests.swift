import Testing
@testable import ChunkStore

@Suite struct DevicePatternTests {
    @Test(arguments: [
        ("*", "meter-1", true), ("meter-*", "meter-001", true), ("meter-*", "pump-001", false),
        ("meter-?", "meter-1", true), ("meter-?", "meter-10", false), ("*-01", "a-b-01", true),
        ("*-01", "a-b-02", false), ("site/*/m*", "site/north/m7", true), ("exact", "exact", true),
        ("exact", "exactly", false), ("a*b*c", "aXXbYYc", true), ("a*b*c", "aXXbYY", false),
    ])
    func matches(pattern: String, device: String, expected: Bool) {
        #expect(DevicePattern(pattern).matches(device) == expected)
    }
}
