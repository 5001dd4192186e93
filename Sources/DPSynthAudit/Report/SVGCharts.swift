import Foundation

/// Inline SVG charts for the HTML report: no scripts, no external resources, readable in
/// print. Every text that comes from data is escaped here.
enum SVGCharts {
    static let realColour = "#3b6ea8"
    static let syntheticColour = "#e08a3c"

    /// Real vs synthetic shares as paired bars, one pair per bin or category.
    static func pairedBars(labels: [String], real: [Double], synthetic: [Double],
                           width: Double = 330, height: Double = 170) -> String {
        let left = 34.0, right = 6.0, top = 8.0
        let rotate = labels.count > 6
        let bottom = rotate ? 52.0 : 22.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let maximum = Swift.max((real + synthetic).max() ?? 0, 1e-12)
        let groupWidth = plotWidth / Double(Swift.max(labels.count, 1))
        let barWidth = Swift.max(groupWidth * 0.4, 0.8)
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\">"
        // Axis and two gridlines with their share labels.
        for fraction in [0.0, 0.5, 1.0] {
            let y = top + plotHeight * (1 - fraction)
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y))\" y2=\"\(f(y))\" class=\"grid\"/>"
            svg += "<text x=\"\(f(left - 3))\" y=\"\(f(y + 3))\" class=\"tick\" text-anchor=\"end\">\(percent(maximum * fraction, digits: 0))</text>"
        }
        for (index, label) in labels.enumerated() {
            let x = left + Double(index) * groupWidth + groupWidth * 0.1
            let realHeight = plotHeight * (real[safe: index] ?? 0) / maximum
            let syntheticHeight = plotHeight * (synthetic[safe: index] ?? 0) / maximum
            svg += "<rect x=\"\(f(x))\" y=\"\(f(top + plotHeight - realHeight))\" width=\"\(f(barWidth))\" height=\"\(f(realHeight))\" fill=\"\(realColour)\"><title>\(label.htmlEscaped) real \(percent(real[safe: index] ?? 0))</title></rect>"
            svg += "<rect x=\"\(f(x + barWidth))\" y=\"\(f(top + plotHeight - syntheticHeight))\" width=\"\(f(barWidth))\" height=\"\(f(syntheticHeight))\" fill=\"\(syntheticColour)\"><title>\(label.htmlEscaped) synthetic \(percent(synthetic[safe: index] ?? 0))</title></rect>"
            let showLabel = labels.count <= 13 || index % Swift.max(labels.count / 5, 1) == 0 || index == labels.count - 1
            guard showLabel else { continue }
            let labelX = x + barWidth
            let labelY = top + plotHeight + 11
            let text = label.truncated(to: rotate ? 12 : 10).htmlEscaped
            if rotate {
                svg += "<text x=\"\(f(labelX))\" y=\"\(f(labelY))\" class=\"tick\" text-anchor=\"end\" transform=\"rotate(-40 \(f(labelX)) \(f(labelY)))\">\(text)</text>"
            } else {
                svg += "<text x=\"\(f(labelX))\" y=\"\(f(labelY))\" class=\"tick\" text-anchor=\"middle\">\(text)</text>"
            }
        }
        return svg + "</svg>"
    }

    /// ε against training steps.
    static func epsilonCurve(_ points: [EpsilonCurvePoint], width: Double = 460, height: Double = 220) -> String {
        guard let last = points.last, points.count >= 2 else { return "" }
        let left = 48.0, right = 30.0, top = 12.0, bottom = 36.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let maximumSteps = Double(Swift.max(points.map(\.steps).max() ?? 1, 1))
        let maximumEpsilon = Swift.max(points.map(\.epsilon).max() ?? 1, 1e-12)
        func x(_ steps: Int) -> Double { left + plotWidth * Double(steps) / maximumSteps }
        func y(_ epsilon: Double) -> Double { top + plotHeight * (1 - epsilon / maximumEpsilon) }
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\">"
        for fraction in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let value = maximumEpsilon * fraction
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(value)))\" y2=\"\(f(y(value)))\" class=\"grid\"/>"
            svg += "<text x=\"\(f(left - 4))\" y=\"\(f(y(value) + 3))\" class=\"tick\" text-anchor=\"end\">\(formatNumber(value, significantDigits: 3))</text>"
            let steps = Int((maximumSteps * fraction).rounded())
            svg += "<text x=\"\(f(x(steps)))\" y=\"\(f(top + plotHeight + 14))\" class=\"tick\" text-anchor=\"middle\">\(steps)</text>"
        }
        let path = points.map { "\(f(x($0.steps))),\(f(y($0.epsilon)))" }.joined(separator: " ")
        svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(realColour)\" stroke-width=\"2\"/>"
        svg += "<circle cx=\"\(f(x(last.steps)))\" cy=\"\(f(y(last.epsilon)))\" r=\"3.5\" fill=\"\(syntheticColour)\"/>"
        svg += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 4))\" class=\"axis\" text-anchor=\"middle\">training steps</text>"
        svg += "<text x=\"12\" y=\"\(f(top + plotHeight / 2))\" class=\"axis\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(f(top + plotHeight / 2)))\">ε</text>"
        return svg + "</svg>"
    }

    /// A lower-triangle heat map of 1 − pair score: white where the synthetic data keep the
    /// real relationship, dark red where they lose it (0.5 or more).
    static func pairHeatMap(columns: [String], pairs: [PairTrendScore]) -> String {
        let count = columns.count
        guard count >= 2 else { return "" }
        var index: [String: Int] = [:]
        for (position, name) in columns.enumerated() { index[name] = position }
        var loss = [[Double?]](repeating: [Double?](repeating: nil, count: count), count: count)
        for pair in pairs {
            guard let i = index[pair.firstColumn], let j = index[pair.secondColumn], let score = pair.score else { continue }
            loss[j][i] = 1 - score
        }
        let cell = count <= 12 ? 40.0 : (count <= 24 ? 30.0 : 16.0)
        let labelWidth = 110.0
        let width = labelWidth + cell * Double(count) + 10
        let height = cell * Double(count - 1) + 64
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\">"
        for row in 1..<count {
            let y = Double(row - 1) * cell
            svg += "<text x=\"\(f(labelWidth - 4))\" y=\"\(f(y + cell / 2 + 4))\" class=\"tick\" text-anchor=\"end\">\(columns[row].truncated(to: 16).htmlEscaped)</text>"
            for column in 0..<row {
                let x = labelWidth + Double(column) * cell
                guard let value = loss[row][column] else {
                    svg += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(cell - 1))\" height=\"\(f(cell - 1))\" class=\"na\"><title>\(columns[column].htmlEscaped) × \(columns[row].htmlEscaped): no score</title></rect>"
                    continue
                }
                let intensity = Swift.min(value / 0.5, 1)
                svg += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(cell - 1))\" height=\"\(f(cell - 1))\" fill=\"\(heatColour(intensity))\"><title>\(columns[column].htmlEscaped) × \(columns[row].htmlEscaped): score \(formatNumber(1 - value, significantDigits: 3))</title></rect>"
                if count <= 24 {
                    let textClass = intensity > 0.55 ? "cell light" : "cell"
                    svg += "<text x=\"\(f(x + cell / 2))\" y=\"\(f(y + cell / 2 + 3))\" class=\"\(textClass)\" text-anchor=\"middle\">\(String(format: "%.2f", value))</text>"
                }
            }
        }
        let baseline = Double(count - 1) * cell + 4
        for column in 0..<(count - 1) {
            let x = labelWidth + Double(column) * cell + cell / 2
            svg += "<text x=\"\(f(x))\" y=\"\(f(baseline))\" class=\"tick\" text-anchor=\"end\" transform=\"rotate(-45 \(f(x)) \(f(baseline)))\">\(columns[column].truncated(to: 16).htmlEscaped)</text>"
        }
        return svg + "</svg>"
    }

    /// White → dark red.
    private static func heatColour(_ intensity: Double) -> String {
        let t = Swift.max(0, Swift.min(1, intensity))
        let red = Int(255 - 75 * t), green = Int(255 - 225 * t), blue = Int(255 - 215 * t)
        return String(format: "#%02x%02x%02x", red, green, blue)
    }

    /// A coordinate with at most one decimal.
    static func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// A share as a percentage ("12.3%").
func percent(_ value: Double, digits: Int = 1) -> String {
    String(format: "%.\(digits)f%%", value * 100)
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
