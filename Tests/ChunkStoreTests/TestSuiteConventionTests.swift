import Foundation
import Testing

/// `scripts/test.sh` runs `swift test --disable-xctest`: that is only safe while no test
/// uses XCTest, which this checks (an XCTest case would otherwise silently not run).
@Suite struct TestSuiteConventionTests {
    @Test func noTestImportsXCTest() throws {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let files = FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 20, "found only \(files.count) test sources under \(tests.path)")
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let importsXCTest = text.split(separator: "\n").contains { $0.hasPrefix("import XCTest") || $0.hasPrefix("@testable import XCTest") }
            #expect(!importsXCTest, "\(file.lastPathComponent) imports XCTest, which scripts/test.sh does not run")
        }
        let script = try String(contentsOf: tests.deletingLastPathComponent().appendingPathComponent("scripts/test.sh"), encoding: .utf8)
        #expect(script.contains("swift test --disable-xctest"))
    }
}
