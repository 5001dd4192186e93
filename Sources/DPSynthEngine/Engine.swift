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

    /// The number of threads for matrix products (OpenBLAS) and large elementwise kernels.
    /// Defaults to `DPSYNTH_THREADS` when set, otherwise to the number of active processors.
    /// Setting it passes the value to OpenBLAS (`openblas_set_num_threads`) for the whole process.
    public static var threadCount: Int {
        get { configuredThreadCount ?? defaultThreadCount }
        set {
            precondition(newValue > 0, "thread count must be positive, found \(newValue)")
            configuredThreadCount = newValue
            prepareBLASThreads()
        }
    }

    /// The threads matrix products and parallel loops may use now: `threadCount` less the cores
    /// held by background work (`reservingThread`), at least one.
    ///
    /// Why: the DP step draws the next step's noise on a background thread while the forward
    /// and backward passes run. If OpenBLAS also splits its products over every core, its
    /// threads and the noise thread time-slice the same cores and the product waits for its
    /// slowest part; measured at batch 64, d = 32 (`bench --suite dpsgd`), the step took 0.55 ms
    /// that way and 0.39 ms with OpenBLAS on the free core only.
    public static var availableThreadCount: Int {
        Swift.max(1, threadCount - Int(dpsynth_reserved_threads()))
    }

    /// Runs `body` (on a background thread) holding one core: products and parallel loops
    /// started meanwhile use one thread fewer.
    public static func reservingThread<R>(_ body: () throws -> R) rethrows -> R {
        dpsynth_reserve_thread()
        defer { dpsynth_release_thread() }
        return try body()
    }

    /// The thread count last passed to OpenBLAS, to skip redundant calls.
    private static var blasThreadCount = 0
    private static let blasThreadLock = NSLock()

    /// Gives OpenBLAS `availableThreadCount` threads before a product. Products produce the
    /// same bits with any thread count (OpenBLAS splits the output, not the inner sums; tested
    /// in `TrainingTests.testReservedThreadLeavesProductsUnchanged`), so this changes timing only.
    static func prepareBLASThreads() {
        let wanted = availableThreadCount
        blasThreadLock.lock()
        defer { blasThreadLock.unlock() }
        if wanted != blasThreadCount {
            openblas_set_num_threads(Int32(wanted))
            blasThreadCount = wanted
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
