import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Training progress on stderr: a redrawn one-line bar on a terminal, one log line per epoch
/// otherwise (so CI logs and pipes stay readable).
final class ProgressReporter {
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var start = Date()
    private var totalSteps = 1
    private var lastDraw = Date.distantPast
    var quiet = false

    /// Called once training starts: the bar's length and the clock its time estimate runs on.
    func beginTraining(steps: Int) {
        totalSteps = max(steps, 1)
        start = Date()
        lastDraw = .distantPast
    }

    /// Called after every step; draws at most ten times a second on a terminal.
    func step(_ step: Int, epoch: Int, fields: KeyValuePairs<String, Double>) {
        guard isTerminal, !quiet else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 || step == totalSteps else { return }
        lastDraw = now
        let fraction = Double(step) / Double(totalSteps)
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let elapsed = now.timeIntervalSince(start)
        let remaining = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let values = fields.map { "\($0.key) \(Self.format($0.value))" }.joined(separator: "  ")
        let line = "\r\(bar) epoch \(epoch) step \(step)/\(totalSteps)  \(values)  \(Self.duration(remaining)) left\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Called at the end of every epoch: one line off a terminal, a newline-finished bar on one.
    func epochFinished(_ epoch: Int, step: Int, fields: KeyValuePairs<String, Double>) {
        guard !quiet else { return }
        let values = fields.map { "\($0.key)=\(Self.format($0.value))" }.joined(separator: " ")
        let elapsed = Date().timeIntervalSince(start)
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        let line = "epoch \(epoch) step \(step)/\(totalSteps) \(values) elapsed=\(Self.duration(elapsed))\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func message(_ text: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func format(_ x: Double) -> String {
        if x.isInfinite { return x > 0 ? "∞" : "-∞" }
        return String(format: abs(x) >= 100 ? "%.1f" : "%.4f", x)
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }
}
