import XCTest
import CKernels
@testable import DPSynthEngine
import DPSynthRandom

/// The C kernels dispatch at run time to AVX-512, AVX2 or portable code. Each path must write
/// the same bits (same IEEE operations in the same order, no FMA contraction), so results do
/// not depend on the CPU: every path this machine supports is forced in turn and compared with
/// the portable one.
final class KernelDispatchTests: XCTestCase {
    private let levels: [DPSynthInstructionSet] = [DPSynthInstructionSetPortable, DPSynthInstructionSetAVX2,
                                                   DPSynthInstructionSetAVX512, DPSynthInstructionSetAuto]

    override func tearDown() {
        dpsynth_limit_instruction_set(DPSynthInstructionSetAuto)
        super.tearDown()
    }

    func testRowSumsOfSquaresAreIdenticalOnEveryPath() {
        let random = SeededGenerator(seed: 31)
        // Row lengths around the 16-lane and 256-element block boundaries.
        for columns in [0, 1, 15, 16, 17, 255, 256, 257, 1000] {
            let rows = 7
            let x = random.gaussianFloats(count: rows * columns, standardDeviation: 3)
            var reference: [Double]?
            for level in levels {
                dpsynth_limit_instruction_set(level)
                var result = [Double](repeating: .nan, count: rows)
                x.withUnsafeBufferPointer { Kernels.rowSumsOfSquares($0.baseAddress!, rows: rows, columns: columns, into: &result) }
                if let reference { XCTAssertEqual(result, reference, "columns \(columns), level \(level.rawValue)") }
                else { reference = result }
            }
            let exact = (0..<rows).map { r in (0..<columns).reduce(0.0) { $0 + Double(x[r * columns + $1]) * Double(x[r * columns + $1]) } }
            for (mine, truth) in zip(reference ?? [], exact) { XCTAssertEqual(mine, truth, accuracy: 1e-5 * Swift.max(truth, 1)) }
        }
    }

    func testAdamUpdateIsIdenticalOnEveryPath() {
        let random = SeededGenerator(seed: 32)
        let count = 1_037
        let gradients = random.gaussianFloats(count: count)
        let start = random.gaussianFloats(count: count)
        var reference: [[Float]]?
        for level in levels {
            dpsynth_limit_instruction_set(level)
            var theta = start, m = [Float](repeating: 0.1, count: count), v = [Float](repeating: 0.2, count: count)
            for _ in 0..<3 {
                Kernels.adamUpdate(parameters: &theta, gradients: gradients, firstMoments: &m, secondMoments: &v, count: count,
                                   beta1: 0.9, beta2: 0.999, stepSize: 1e-3, inverseRootCorrection: 1.3, epsilon: 1e-8)
            }
            if let reference { XCTAssertEqual([theta, m, v], reference, "level \(level.rawValue)") } else { reference = [theta, m, v] }
        }
        XCTAssertNotEqual(reference?[0], start)
    }
}
