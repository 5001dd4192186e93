import Foundation
import XCTest
@testable import DPSynthAccounting

/// The PLD accountant against dp_accounting 0.6.0's `PLDAccountant(value_discretization_interval=1e-4)`.
final class PLDReferenceTests: XCTestCase {
    /// Every row of pld_eps.csv: within 1% of the reference and never below it by more than the
    /// discretisation interval (both are pessimistic estimates of the same true ε). The 221
    /// configurations are independent, so they are computed on all cores, then checked in order.
    func testPLDEpsilonMatchesEveryReferenceRow() throws {
        let rows = try accountantReference("pld_eps.csv")
        XCTAssertEqual(rows.count, 442)
        var byConfiguration: [String: [[String: String]]] = [:]
        for row in rows { byConfiguration["\(row["q"]!) \(row["sigma"]!) \(row["steps"]!)", default: []].append(row) }
        let groups = byConfiguration.sorted { $0.key < $1.key }.map(\.value)
        let results = ConcurrentResults<Result<PLDAccountant, Error>>(count: groups.count)
        DispatchQueue.concurrentPerform(iterations: groups.count) { index in
            let first = groups[index][0]
            results[index] = Result {
                var accountant = PLDAccountant(valueDiscretizationInterval: try number(first, "value_discretization_interval"))
                try accountant.compose(.dpsgd(samplingProbability: try number(first, "q"),
                                              noiseMultiplier: try number(first, "sigma"),
                                              steps: Int(try number(first, "steps"))))
                return accountant
            }
        }
        var worstRelative = 0.0
        for (index, group) in groups.enumerated() {
            let accountant = try XCTUnwrap(results[index]).get()
            for row in group {
                let delta = try number(row, "delta"), expected = try number(row, "epsilon")
                let epsilon = try accountant.epsilon(forDelta: delta)
                let context = "q=\(row["q"]!) σ=\(row["sigma"]!) steps=\(row["steps"]!) δ=\(delta)"
                assertClose(epsilon, expected, absolute: 1e-9, relative: 0.01, context)
                XCTAssertGreaterThanOrEqual(epsilon, expected - accountant.valueDiscretizationInterval, context)
                if expected > 0 { worstRelative = max(worstRelative, abs(epsilon - expected) / expected) }
            }
        }
        print("PLD vs dp_accounting: worst relative difference \(worstRelative)")
    }
}

/// Slots written from `concurrentPerform` (one writer per index), read after it returns.
private final class ConcurrentResults<Value>: @unchecked Sendable {
    private var values: [Value?]
    private let lock = NSLock()

    init(count: Int) { values = Array(repeating: nil, count: count) }

    subscript(index: Int) -> Value? {
        get { lock.lock(); defer { lock.unlock() }; return values[index] }
        set { lock.lock(); values[index] = newValue; lock.unlock() }
    }
}
