import DPSynthRandom

extension AuditTable {
    /// At most `limit` rows, drawn without replacement by a seeded generator and kept in table
    /// order; the table itself when it has no more. What bounds the audit's quadratic parts
    /// (distances: every query row against every reference row) and its forests on tables of
    /// millions of rows, as SDMetrics' `num_rows_subsample` does for its DCR metrics.
    public func sampled(atMost limit: Int, seed: UInt64) -> AuditTable {
        guard rowCount > limit, limit >= 0 else { return self }
        let random = SeededGenerator(seed: seed)
        var indices = Array(0..<rowCount)
        // Partial Fisher–Yates: the first `limit` places hold a uniform sample.
        for position in 0..<limit {
            let pick = position + Int(random.next() % UInt64(rowCount - position))
            indices.swapAt(position, pick)
        }
        return rows(indices[0..<limit].sorted())
    }
}
