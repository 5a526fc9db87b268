/// The `async` overloads of the fleet calls, on the store's read threads like the other
/// queries (see `Store+Async.swift`).
extension Store {
    /// ``alerts(since:activeOnly:)`` on the store's read threads.
    public func alerts(since: Int64? = nil, activeOnly: Bool = false) async throws(StoreError) -> [AlertEvent] {
        try await blocking.read { () throws(StoreError) in try self.alerts(since: since, activeOnly: activeOnly) }
    }

    /// ``replayRules(_:from:to:)`` on the store's read threads.
    public func replayRules(_ rules: RuleSet, from: Int64? = nil, to: Int64? = nil) async throws(StoreError) -> [AlertEvent] {
        try await blocking.read { () throws(StoreError) in try self.replayRules(rules, from: from, to: to) }
    }

    /// ``summary(_:)`` on the store's read threads.
    public func summary(_ request: SummaryRequest) async throws(StoreError) -> FleetSummary {
        try await blocking.read { () throws(StoreError) in try self.summary(request) }
    }
}
