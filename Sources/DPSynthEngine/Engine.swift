import COpenBLAS
import Foundation

/// Process-wide engine settings.
public enum Engine {
    /// The environment variable that sets the thread count when `--threads` is not given.
    public static let threadsEnvironmentVariable = "DPSYNTH_THREADS"

    private static var configuredThreadCount: Int?
    /// The default, read once: the elementwise kernels ask for the thread count on every call,
    /// and reading the environment each time would cost more than a small kernel.
    private static let defaultThreadCount = environmentThreadCount ?? ProcessInfo.processInfo.activeProcessorCount

    /// The number of threads for matrix products (OpenBLAS) and large elementwise kernels.
    /// Defaults to `DPSYNTH_THREADS` when set, otherwise to the number of active processors.
    /// Setting it passes the value to OpenBLAS (`openblas_set_num_threads`) for the whole process.
    public static var threadCount: Int {
        get { configuredThreadCount ?? defaultThreadCount }
        set {
            precondition(newValue > 0, "thread count must be positive, found \(newValue)")
            configuredThreadCount = newValue
            openblas_set_num_threads(Int32(newValue))
        }
    }

    /// `DPSYNTH_THREADS` read as a positive integer, or nil when unset or malformed.
    public static var environmentThreadCount: Int? {
        guard let text = ProcessInfo.processInfo.environment[threadsEnvironmentVariable],
              let value = Int(text.trimmingCharacters(in: .whitespaces)), value > 0 else { return nil }
        return value
    }

    /// Applies `DPSYNTH_THREADS` (if set) to OpenBLAS; call once at start-up.
    public static func applyEnvironmentThreadCount() {
        if let count = environmentThreadCount { threadCount = count }
    }
}
