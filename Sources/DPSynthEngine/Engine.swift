import CKernels
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

    /// The number of threads for matrix products and large elementwise kernels, the calling
    /// thread included: the size of the engine's worker pool (`Kernels.concurrentForEach`).
    /// Defaults to `DPSYNTH_THREADS` when set, otherwise to the number of active processors.
    ///
    /// OpenBLAS itself always runs on one thread: the engine cuts products into tiles and runs
    /// the tiles on its own pool, whose idle workers draw the DP noise of the next step instead
    /// of spinning (docs/ghost-clipping.md, "The engine's worker pool").
    public static var threadCount: Int {
        get { configuredThreadCount ?? defaultThreadCount }
        set {
            precondition(newValue > 0, "thread count must be positive, found \(newValue)")
            configuredThreadCount = newValue
            _ = poolIsPrepared
            dpsynth_pool_set_threads(Int32(newValue))
        }
    }

    /// OpenBLAS on one thread and the pool at the default size, once, before the first product
    /// or parallel loop.
    static let poolIsPrepared: Void = {
        openblas_set_num_threads(1)
        dpsynth_pool_set_threads(Int32(configuredThreadCount ?? defaultThreadCount))
    }()

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
