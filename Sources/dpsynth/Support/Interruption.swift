#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C during `fit`: the first SIGINT asks the training loop to stop after the current step
/// and write a checkpoint with the privacy spent so far; a second one ends the process at once.
enum Interruption {
    /// Set from the signal handler; read by the training loop between steps.
    nonisolated(unsafe) static var requested: sig_atomic_t = 0

    static func install() {
        signal(SIGINT) { _ in
            if Interruption.requested != 0 { _exit(130) }
            Interruption.requested = 1
        }
    }

    static var isRequested: Bool { requested != 0 }
}
