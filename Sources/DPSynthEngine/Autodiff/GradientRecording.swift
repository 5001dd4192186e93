#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether ops on the current thread record pullbacks. Thread-local, so a sampler running
/// under `withoutGradients` on one thread does not switch recording off on another.
enum GradientRecording {
    private final class Flag { var isEnabled = true }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { pointer in
            if let pointer { Unmanaged<AnyObject>.fromOpaque(pointer).release() }
        }
        precondition(status == 0, "pthread_key_create failed with status \(status)")
        return key
    }()

    private static var flag: Flag {
        if let pointer = pthread_getspecific(key) {
            return Unmanaged<Flag>.fromOpaque(pointer).takeUnretainedValue()
        }
        let flag = Flag()
        pthread_setspecific(key, Unmanaged.passRetained(flag).toOpaque())
        return flag
    }

    static var isEnabled: Bool {
        get { flag.isEnabled }
        set { flag.isEnabled = newValue }
    }
}

/// Runs `body` without recording any op: for sampling, evaluation and optimizer updates.
public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    let previous = GradientRecording.isEnabled
    GradientRecording.isEnabled = false
    defer { GradientRecording.isEnabled = previous }
    return try body()
}

/// Runs `body` with recording switched on (inside a `withoutGradients` block, for example).
public func withGradients<R>(_ body: () throws -> R) rethrows -> R {
    let previous = GradientRecording.isEnabled
    GradientRecording.isEnabled = true
    defer { GradientRecording.isEnabled = previous }
    return try body()
}

/// True when ops on this thread currently record pullbacks.
public var isRecordingGradients: Bool { GradientRecording.isEnabled }

extension Tensor {
    /// Attaches a node to an op's freshly computed `value` when recording is on and some input
    /// carries one. Every op goes through here, so this is the single place that decides.
    @inline(__always)
    static func recorded(_ value: Tensor, operation: String, inputs: [Tensor],
                         kind: NodeKind = .ordinary, pullback: @escaping Pullback) -> Tensor {
        guard GradientRecording.isEnabled, inputs.contains(where: { $0.node != nil }) else { return value }
        var result = value
        result.node = GradientNode(operation: operation, inputs: inputs.map(\.node),
                                   inputShapes: inputs.map(\.shape), kind: kind, pullback: pullback)
        return result
    }
}
