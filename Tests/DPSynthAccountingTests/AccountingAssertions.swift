import XCTest
import DPSynthTestSupport

/// |actual − expected| ≤ absolute + relative·|expected|, with +∞ only matching +∞.
func assertClose(_ actual: Double, _ expected: Double, absolute: Double = 0, relative: Double,
                 _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    if expected.isInfinite || actual.isInfinite {
        XCTAssertEqual(actual, expected, message(), file: file, line: line)
        return
    }
    let tolerance = absolute + relative * abs(expected)
    XCTAssertLessThanOrEqual(abs(actual - expected), tolerance,
                             "\(actual) vs reference \(expected) (tolerance \(tolerance)) \(message())",
                             file: file, line: line)
}

/// A numeric field of a reference row; fails the test loudly when missing or malformed.
func number(_ row: [String: String], _ key: String, file: StaticString = #filePath, line: UInt = #line) throws -> Double {
    guard let text = row[key], let value = Double(text) else {
        XCTFail("reference row lacks a number in column '\(key)': \(row)", file: file, line: line)
        throw CocoaError(.fileReadCorruptFile)
    }
    return value
}

/// The accountant reference table `name` from shared/reference/accountant/.
func accountantReference(_ name: String) throws -> [[String: String]] {
    let rows = try SharedData.referenceTable("reference/accountant/\(name)")
    XCTAssertFalse(rows.isEmpty, "reference \(name) is empty")
    return rows
}
