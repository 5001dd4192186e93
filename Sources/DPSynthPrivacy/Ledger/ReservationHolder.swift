import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process that took a ledger reservation: its id, host and start, so that `ledger show` can
/// tell a reservation whose training is still running from one whose process died before
/// settling it.
///
/// The ledger never settles or withdraws a reservation on its own because its holder looks gone:
/// a process that died may already have read the data, so its reservation stays counted until a
/// person decides (`dpsynth ledger settle-reservation` / `withdraw-reservation`). The start (the
/// boot's id and the process's start time, from /proc) keeps a process id reused after the holder
/// died, or after a reboot, from passing for the holder.
public struct ReservationHolder: Equatable, Sendable {
    public var processID: Int32
    public var host: String
    /// "BOOT-ID/START-TICKS" of the process, or nil where /proc is not available.
    public var processStart: String?

    public init(processID: Int32, host: String, processStart: String? = nil) {
        self.processID = processID
        self.host = host
        self.processStart = processStart
    }

    /// This process on this host.
    public static var current: ReservationHolder {
        let processID = getpid()
        return ReservationHolder(processID: processID, host: currentHost, processStart: start(ofProcess: processID))
    }

    /// Whether the holder is still running: nil on another host (it cannot be checked from here);
    /// otherwise whether a process with its id runs and, when its start was recorded, started
    /// when the holder did (same boot, same start time).
    public var isRunning: Bool? {
        guard host == Self.currentHost else { return nil }
        if let processStart { return Self.start(ofProcess: processID) == processStart }
        return kill(processID, 0) == 0 || errno == EPERM
    }

    static var currentHost: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(cString: buffer)
    }

    /// "BOOT-ID/START-TICKS" for a running process: the kernel's boot id and field 22 of
    /// /proc/PID/stat (start time in clock ticks after boot; proc(5)). Nil if there is no such
    /// process or no /proc.
    static func start(ofProcess processID: Int32) -> String? {
        guard let boot = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8),
              let stat = try? String(contentsOfFile: "/proc/\(processID)/stat", encoding: .utf8),
              let nameEnd = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may hold spaces) start at field 3.
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        guard fields.count > 22 - 3 else { return nil }
        return boot.trimmingCharacters(in: .whitespacesAndNewlines) + "/" + fields[22 - 3]
    }
}
