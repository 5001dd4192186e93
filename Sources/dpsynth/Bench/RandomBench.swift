import DPSynthRandom
import Foundation

/// `dpsynth bench --suite random`: throughput of the shared generators — raw 64-bit words one
/// at a time and in bulk (uniform bytes/s), uniform Floats, and standard normals (Float and Double buffers, and one
/// at a time through `nextGaussian`) — for the secure ChaCha20 generator that draws DP noise
/// and for the seeded xoshiro256** generator used by `--seed` runs and initialisers.
enum RandomBench: BenchSuite {
    static let name = "random"
    static let selectsConfigurations = true

    /// Values per timed call: large enough to amortise a call, small enough to stay in L2.
    static let count = 1 << 16

    static func run(options: BenchOptions) throws -> BenchTable {
        var table = BenchTable(columns: ["generator", "output", "median_ms", "values_per_s", "MB_per_s"])
        let generators: [(String, RandomSource)] = [
            ("secure ChaCha20", try SecureGenerator()),
            ("seeded xoshiro256**", SeededGenerator(seed: 1)),
        ]
        var words = [UInt64](repeating: 0, count: count)
        var floats = [Float](repeating: 0, count: count)
        var doubles = [Double](repeating: 0, count: count)
        var sink = 0.0
        for (label, generator) in generators {
            let cases: [(output: String, bytesPerValue: Int, body: () -> Void)] = [
                ("uniform UInt64 (next)", 8, {
                    words.withUnsafeMutableBufferPointer { buffer in
                        for i in buffer.indices { buffer[i] = generator.next() }
                    }
                }),
                ("uniform UInt64 (fill)", 8, {
                    words.withUnsafeMutableBufferPointer { generator.fill($0) }
                }),
                ("uniform Float (fillUniform)", 4, {
                    floats.withUnsafeMutableBufferPointer { generator.fillUniform($0) }
                }),
                ("Gaussian Float (fillGaussian)", 4, {
                    floats.withUnsafeMutableBufferPointer { generator.fillGaussian($0) }
                }),
                ("Gaussian Double (fillGaussian)", 8, {
                    doubles.withUnsafeMutableBufferPointer { generator.fillGaussian($0) }
                }),
                ("Gaussian Double (nextGaussian)", 8, {
                    doubles.withUnsafeMutableBufferPointer { buffer in
                        for i in buffer.indices { buffer[i] = generator.nextGaussian() }
                    }
                }),
            ]
            for (output, bytesPerValue, body) in cases where options.includes("\(label) \(output)") {
                options.progress("random: \(label), \(output)")
                let samples = timeRepeatedly(warmup: options.quick ? 1 : 5,
                                             minimumIterations: options.quick ? 3 : 30,
                                             minimumSeconds: options.quick ? 0 : 0.5, body)
                let milliseconds = median(samples)
                let perSecond = Double(count) / (milliseconds / 1000)
                table.append([.text(label), .text(output), .number(milliseconds),
                              .number(perSecond), .number(perSecond * Double(bytesPerValue) / 1e6)])
            }
            sink += Double(words[count - 1] & 1) + Double(floats[count - 1]) + doubles[count - 1]
        }
        table.notes = [
            "\(count) values per call; MB_per_s counts the bytes written (8 per UInt64 or Double, 4 per Float).",
            "single thread; checksum \(sink.isFinite ? "ok" : "not finite")",
        ]
        return table
    }
}
