import DPSynthAccounting
import Foundation

/// Release rows: one binding of a `LedgerRelease` to the columns, used by every insert and update,
/// and one decoding back.
extension BudgetLedger {
    static let selectReleases = "SELECT id, " + LedgerSchema.releaseColumns.joined(separator: ", ") + " FROM releases"

    /// Inserts `release` with its status; returns the new row's id.
    func insert(_ release: LedgerRelease) throws -> Int {
        let columns = LedgerSchema.releaseColumns
        try connection.prepare("INSERT INTO releases (\(columns.joined(separator: ", "))) VALUES ("
                               + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")")
            .run(try values(of: release))
        return connection.lastInsertedRowID
    }

    /// Replaces every column of row `id` with `release` and its status.
    func update(id: Int, with release: LedgerRelease) throws {
        let assignments = LedgerSchema.releaseColumns.map { "\($0) = ?" }.joined(separator: ", ")
        try connection.prepare("UPDATE releases SET \(assignments) WHERE id = ?").run(try values(of: release) + [.integer(id)])
    }

    /// The values of `LedgerSchema.releaseColumns`, in order.
    private func values(of release: LedgerRelease) throws -> [SQLiteValue] {
        let eventJSON = String(decoding: try JSONEncoder().encode(release.event), as: UTF8.self)
        let training = release.training
        let state: LedgerSchema.State
        var reservedAt: Date?, withdrawnAt: Date?, holder: ReservationHolder?
        switch release.status {
        case .settled(let reserved): (state, reservedAt) = (.settled, reserved)
        case .reserved(let by): (state, reservedAt, holder) = (.reserved, release.recordedAt, by)
        case .withdrawn(let at, let by): (state, reservedAt, withdrawnAt, holder) = (.withdrawn, release.recordedAt, at, by)
        }
        return [
            .text(release.dataset.hexDigest), .text(Self.timestamp(release.recordedAt)), .text(release.label),
            training.map { .real($0.samplingProbability) } ?? .null,
            training.map { .real($0.noiseMultiplier) } ?? .null,
            release.clippingNorm.map { .real($0) } ?? .null,
            training.map { .integer($0.steps) } ?? .null,
            training.map { .integer($0.noiseIsCryptographicallySecure ? 1 : 0) } ?? .null,
            .real(release.delta), .real(release.schemaEpsilon), .real(release.schemaDelta), .text(eventJSON),
            .blob(Self.encode(release.rdpOrders)), .blob(Self.encode(release.rdpCurve)),
            release.epsilonByAccountant[.rdp].map { .real($0) } ?? .null,
            release.epsilonByAccountant[.pld].map { .real($0) } ?? .null,
            .text(state.rawValue), reservedAt.map { .text(Self.timestamp($0)) } ?? .null,
            withdrawnAt.map { .text(Self.timestamp($0)) } ?? .null,
            holder.map { .integer(Int($0.processID)) } ?? .null, holder.map { .text($0.host) } ?? .null,
            holder?.processStart.map { .text($0) } ?? .null,
        ]
    }

    /// The release on the current row of a statement made from `selectReleases`.
    func release(at statement: SQLiteStatement) throws -> LedgerRelease {
        let id = statement.integer(0)
        func column(_ name: String) -> Int32 {
            Int32(LedgerSchema.releaseColumns.firstIndex(of: name).map { $0 + 1 } ?? 0)
        }
        func malformed(_ reason: String) -> LedgerError { .malformedRelease(path: url.path, id: id, reason: reason) }
        func date(_ name: String) throws -> Date? {
            if statement.isNull(column(name)) { return nil }
            let text = statement.text(column(name))
            guard let date = Self.date(text) else { throw malformed("bad time \"\(text)\" in \(name)") }
            return date
        }
        let event: DPEvent
        do {
            event = try JSONDecoder().decode(DPEvent.self, from: Data(statement.text(column("event_json")).utf8))
        } catch {
            throw malformed("unreadable event: \(error)")
        }
        guard let recordedAt = try date("recorded_at") else { throw malformed("no time recorded") }
        var training: DPSGDPrivacyFacts?
        if !statement.isNull(column("sampling_probability")) {
            training = DPSGDPrivacyFacts(samplingProbability: statement.real(column("sampling_probability")),
                                         noiseMultiplier: statement.real(column("noise_multiplier")),
                                         steps: statement.integer(column("steps")),
                                         noiseIsCryptographicallySecure: statement.integer(column("noise_secure")) != 0)
        }
        var epsilons: [AccountantKind: Double] = [:]
        epsilons[.rdp] = statement.optionalReal(column("epsilon_rdp"))
        epsilons[.pld] = statement.optionalReal(column("epsilon_pld"))
        let orders = Self.decode(statement.blob(column("rdp_orders"))), curve = Self.decode(statement.blob(column("rdp_curve")))
        guard orders.count == curve.count else {
            throw malformed("\(orders.count) RDP orders but \(curve.count) values")
        }
        let state = statement.text(column("state"))
        var holder: ReservationHolder?
        if !statement.isNull(column("holder_process_id")) {
            holder = ReservationHolder(processID: Int32(truncatingIfNeeded: statement.integer(column("holder_process_id"))),
                                       host: statement.text(column("holder_host")),
                                       processStart: statement.isNull(column("holder_process_start"))
                                           ? nil : statement.text(column("holder_process_start")))
        }
        let status: LedgerRelease.Status
        switch (LedgerSchema.State(rawValue: state), holder) {
        case (.settled, _): status = .settled(reservedAt: try date("reserved_at"))
        case (.reserved, let holder?): status = .reserved(holder: holder)
        case (.withdrawn, let holder?):
            guard let withdrawnAt = try date("withdrawn_at") else { throw malformed("withdrawn without a time") }
            status = .withdrawn(at: withdrawnAt, holder: holder)
        default: throw malformed("state \"\(state)\" without the process that held it, or unknown")
        }
        return LedgerRelease(
            dataset: try DatasetFingerprint(hexDigest: statement.text(column("fingerprint"))), recordedAt: recordedAt,
            label: statement.text(column("label")), training: training,
            clippingNorm: statement.optionalReal(column("clipping_norm")), event: event,
            schemaEpsilon: statement.real(column("schema_epsilon")), schemaDelta: statement.real(column("schema_delta")),
            delta: statement.real(column("delta")), rdpOrders: orders, rdpCurve: curve, epsilonByAccountant: epsilons,
            id: id, status: status)
    }

    /// Doubles as little-endian IEEE-754 bytes: exact, and ∞ survives (JSON cannot hold it).
    static func encode(_ values: [Double]) -> Data {
        var data = Data(capacity: values.count * 8)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func decode(_ data: Data) -> [Double] {
        stride(from: 0, to: data.count - data.count % 8, by: 8).map { offset in
            var bits: UInt64 = 0
            for byte in 0..<8 { bits |= UInt64(data[data.startIndex + offset + byte]) << (8 * UInt64(byte)) }
            return Double(bitPattern: bits)
        }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
