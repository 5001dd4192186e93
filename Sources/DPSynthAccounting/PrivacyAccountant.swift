/// Something that turns a sequence of `DPEvent`s into an (ε, δ) guarantee.
///
/// Both accountants follow dp_accounting's contract (`privacy_accountant.py`): `compose` validates
/// the whole event first and throws without changing state when the event is invalid or not
/// supported; `epsilon(forDelta:)` is the smallest ε the accountant can certify at that δ.
public protocol PrivacyAccountant {
    /// Which accountant this is (for records and messages).
    var kind: AccountantKind { get }
    /// Adds `event` to what has been spent. Throws, leaving the accountant unchanged, if the event
    /// is invalid or this accountant cannot cost it.
    mutating func compose(_ event: DPEvent) throws
    /// The ε of everything composed so far at `delta` (δ in (0, 1)); `.infinity` if unbounded.
    func epsilon(forDelta delta: Double) throws -> Double
    /// The δ of everything composed so far at `epsilon`.
    func delta(forEpsilon epsilon: Double) throws -> Double
}

/// The accountants DPSynth offers.
public enum AccountantKind: String, CaseIterable, Codable, Sendable {
    /// Rényi DP (moments accountant) with dp_accounting's orders and conversion: fast, a few % loose.
    case rdp
    /// Privacy loss distributions composed by FFT: tighter, slower.
    case pld

    /// A fresh accountant of this kind with its default settings.
    public func makeAccountant() -> any PrivacyAccountant {
        switch self {
        case .rdp: return RDPAccountant()
        case .pld: return PLDAccountant()
        }
    }
}
