/// Walks a store's committed files and reports every damaged structure with file and offset.
struct StoreVerifier {
    let context: StoreSnapshot

    func run() throws -> [StoreError] {
        var problems: [StoreError] = []
        let fs = context.fileSystem
        let layout = context.layout
        var records: [Int32: [Int: Int]] = [:]
        for file in context.manifest.dataFiles {
            let path = layout.dataFile(file)
            var found: [Int: Int] = [:]
            do {
                if let problem = try DataFile.scan(path: path, length: file.committedLength, fileSystem: fs, { offset, length, header in
                    found[offset] = length
                    if header.day != file.day {
                        problems.append(.corrupt(path: path, offset: offset, reason: "chunk of day \(header.day) in the file of day \(file.day)"))
                    }
                }) {
                    problems.append(problem)
                }
            } catch let error as StoreError {
                problems.append(error)
            }
            records[file.day] = found
        }
        for segment in context.index.segments {
            let segmentProblems = segment.verify()
            problems += segmentProblems
            guard segmentProblems.isEmpty else { continue }
            for i in 0..<segment.chunkCount {
                guard let entry = try? segment.chunk(at: i) else { continue }
                if records[entry.day]?[entry.offset] != entry.length {
                    problems.append(.corrupt(path: segment.path, offset: 0,
                                             reason: "chunk entry \(i) points at \((try? context.dataFilePath(day: entry.day)) ?? "a missing data file of day \(entry.day)") offset \(entry.offset), where no intact chunk of \(entry.length) bytes lies"))
                }
            }
        }
        var report = RecoveryReport()
        try? WALReader.scanOnly(directory: layout.walDirectory, fileSystem: fs, report: &report)
        for line in report.truncations {
            problems.append(.corrupt(path: layout.walDirectory, offset: 0, reason: line))
        }
        return problems
    }
}
