#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process that took a ledger reservation: its id and host, so that `ledger show` can tell a
/// reservation whose training is still running from one whose process died before settling it.
///
/// Only a hint: a process id can be reused, and a process on another host cannot be checked. The
/// ledger never settles or withdraws a reservation on its own because its holder looks gone: a
/// process that died may already have read the data, so its reservation stays counted until a
/// person decides (`dpsynth ledger settle-reservation` / `withdraw-reservation`).
public struct ReservationHolder: Equatable, Sendable {
    public var processID: Int32
    public var host: String

    public init(processID: Int32, host: String) {
        self.processID = processID
        self.host = host
    }

    /// This process on this host.
    public static var current: ReservationHolder {
        ReservationHolder(processID: getpid(), host: currentHost)
    }

    /// Whether the holder is still running: true or false when it ran on this host (`kill(pid, 0)`
    /// succeeds, or fails with EPERM for another user's live process), nil on another host.
    public var isRunning: Bool? {
        guard host == Self.currentHost else { return nil }
        return kill(processID, 0) == 0 || errno == EPERM
    }

    static var currentHost: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(cString: buffer)
    }
}
