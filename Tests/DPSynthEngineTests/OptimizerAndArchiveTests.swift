import XCTest
import DPSynthEngine
import DPSynthRandom

final class OptimizerTests: XCTestCase {
    func testSGDWithMomentumMatchesHandComputedSteps() {
        let p = Parameter(name: "p", value: Tensor([1, -2]))
        let sgd = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9)
        sgd.step(gradients: [Tensor([1, 2])])        // v = g; θ = θ − 0.1 g
        XCTAssertEqual(p.value.scalars, [0.9, -2.2])
        sgd.step(gradients: [Tensor([1, 2])])        // v = 0.9·g + g = 1.9 g
        XCTAssertEqual(p.value.scalars[0], 0.9 - 0.19, accuracy: 1e-6)
        XCTAssertEqual(p.value.scalars[1], -2.2 - 0.38, accuracy: 1e-6)
    }

    func testAdamFirstStepMovesByTheLearningRateAgainstTheGradientSign() {
        // After one step m̂ = g and v̂ = g², so the update is −η·g/(|g| + ε).
        let p = Parameter(name: "p", value: Tensor([1, 1, 1]))
        let adam = Adam(parameters: [p], learningRate: 0.01)
        adam.step(gradients: [Tensor([3, -0.5, 1e-3])])
        XCTAssertEqual(p.value.scalars[0], 0.99, accuracy: 1e-6)
        XCTAssertEqual(p.value.scalars[1], 1.01, accuracy: 1e-6)
        XCTAssertEqual(p.value.scalars[2], 0.99, accuracy: 1e-5)
        XCTAssertEqual(adam.stepCount, 1)
    }

    func testAdamWDecaysWeightsIndependentlyOfTheGradient() {
        let p = Parameter(name: "p", value: Tensor([2, -4]))
        let adamW = Adam.adamW(parameters: [p], learningRate: 0.1, weightDecay: 0.5)
        adamW.step(gradients: [Tensor([0, 0])])
        XCTAssertEqual(p.value.scalars, [2 * 0.95, -4 * 0.95])
    }

    func testAdamMinimisesAQuadratic() {
        let p = Parameter(name: "p", value: Tensor([3, -2]))
        let adam = Adam(parameters: [p], learningRate: 0.05)
        for _ in 0..<500 {
            let loss = (p.value - Tensor([1, 1])).squared().sum()
            adam.step(gradients: gradients(of: loss, withRespectTo: [p]))
        }
        XCTAssertEqual(p.value.scalars[0], 1, accuracy: 1e-2)
        XCTAssertEqual(p.value.scalars[1], 1, accuracy: 1e-2)
    }

    func testLearningRateSchedules() {
        XCTAssertEqual(LearningRateSchedule.cosine(totalSteps: 10, minimumFactor: 0.1).factor(atStep: 0), 1)
        XCTAssertEqual(LearningRateSchedule.cosine(totalSteps: 10, minimumFactor: 0.1).factor(atStep: 5), 0.55, accuracy: 1e-6)
        XCTAssertEqual(LearningRateSchedule.cosine(totalSteps: 10, minimumFactor: 0.1).factor(atStep: 20), 0.1, accuracy: 1e-6)
        XCTAssertEqual(LearningRateSchedule.stepDecay(interval: 3, factor: 0.5).factor(atStep: 7), 0.25)
        XCTAssertEqual(LearningRateSchedule.linearWarmup(steps: 4).factor(atStep: 1), 0.5)
        let p = Parameter(name: "p", value: Tensor([0]))
        let sgd = SGD(parameters: [p], learningRate: 1)
        sgd.schedule = .custom { step in step == 0 ? 0.5 : 0.25 }
        sgd.step(gradients: [Tensor([1])])
        sgd.step(gradients: [Tensor([1])])
        XCTAssertEqual(p.value.scalars, [-0.75])
    }
}

final class ParameterArchiveTests: XCTestCase {
    private func model(seed: UInt64, hidden: Int = 5) -> MLP {
        MLP(sizes: [3, hidden, 2], name: "model", layerNorm: true, random: SeededGenerator(seed: seed))
    }

    func testRoundTripRestoresEveryValueBitForBit() throws {
        let saved = model(seed: 1), restored = model(seed: 2)
        XCTAssertFalse(saved.parameters[0].value.hasSameValues(as: restored.parameters[0].value))
        let bytes = saved.serializedParameters()
        try restored.loadParameters(from: bytes)
        for (a, b) in zip(saved.parameters, restored.parameters) { XCTAssertTrue(a.value.hasSameValues(as: b.value), a.name) }
        XCTAssertEqual(restored.serializedParameters(), bytes)
        // Little-endian header: magic, version 1, parameter count.
        XCTAssertEqual(Array(bytes.prefix(12)), Array("DPSP".utf8) + [1, 0, 0, 0, UInt8(saved.parameters.count), 0, 0, 0])
    }

    func testMismatchesAreRefusedWithClearErrorsAndChangeNothing() {
        let bytes = model(seed: 1).serializedParameters()
        let other = model(seed: 3, hidden: 4)
        let before = other.parameters.map(\.value.scalars)
        XCTAssertThrowsError(try other.loadParameters(from: bytes)) { error in
            XCTAssertEqual(error as? ParameterArchiveError, .shapeMismatch(name: "model.0.weight", expected: [3, 4], found: [3, 5]))
            XCTAssertEqual("\(error)", "parameter 'model.0.weight' has shape [3, 5] in the archive but [3, 4] in the model")
        }
        XCTAssertEqual(other.parameters.map(\.value.scalars), before)
        let fewer = Linear(inputSize: 3, outputSize: 5, name: "model.0", random: SeededGenerator(seed: 1))
        XCTAssertThrowsError(try fewer.loadParameters(from: bytes)) { error in
            XCTAssertEqual(error as? ParameterArchiveError, .unexpectedParameter("model.1.bias"))
        }
        XCTAssertThrowsError(try model(seed: 1).loadParameters(from: Array(bytes.dropLast(3)))) { error in
            guard case .truncated(let offset)? = error as? ParameterArchiveError else { return XCTFail("\(error)") }
            XCTAssertLessThan(offset, bytes.count - 3)
        }
        // A corrupt header claiming 2^31 × 2^31 values is an error, not an overflow.
        var huge = Array("DPSP".utf8) + [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0] + Array("a".utf8) + [2, 0, 0, 0]
        huge += [0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0]
        XCTAssertThrowsError(try ParameterArchive.load(huge, into: [])) { error in
            guard case .truncated? = error as? ParameterArchiveError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try model(seed: 1).loadParameters(from: [0, 1, 2, 3])) { error in
            XCTAssertEqual(error as? ParameterArchiveError, .notAnArchive)
        }
    }
}
