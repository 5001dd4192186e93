import DPSynthRandom
import Foundation

/// How the decoder turns a block of scores into one category (or a mode, or "missing").
public enum CategorySelection {
    /// The largest entry; a null indicator above 0.5 means missing.
    case argmax
    /// A draw proportional to the entries (negative entries count as 0; an all-zero block
    /// falls back to argmax); a null indicator is the probability of missing, clamped to [0, 1].
    case sample(RandomSource)
}

/// How identifier columns are filled in decoded tables: never from the training data.
public enum IdentifierGeneration {
    /// "1", "2", … counting from `start`.
    case sequential(start: Int)
    /// Random version-4 UUIDs drawn from the generator.
    case randomUUID(RandomSource)
}

extension TableEncoder {
    /// Decodes a generated matrix into a table of this schema without its dropped columns.
    ///
    /// Categories by argmax or sampling; numbers un-scaled, clamped to the bounds, rounded for
    /// integer columns (to whole seconds for datetimes, to `decimals` places when declared);
    /// missing values from the null categories and indicators; identifiers regenerated.
    public func decode(_ matrix: EncodedMatrix, selection: CategorySelection = .argmax,
                       identifiers: IdentifierGeneration = .sequential(start: 1)) -> Table {
        precondition(matrix.width == width, "matrix width \(matrix.width) differs from the encoder's \(width)")
        let rows = matrix.rowCount
        var columns: [ColumnValues] = []
        var kept: [ColumnSchema] = []
        matrix.values.withUnsafeBufferPointer { values in
            for (index, column) in schema.columns.enumerated() where column.role != .drop {
                kept.append(column)
                switch codecs[index] {
                case .notModelled:
                    columns.append(.identifiers(generateIdentifiers(count: rows, identifiers)))
                case .categorical(let offset, let count, let nullable):
                    var codes = [Int32](repeating: -1, count: rows)
                    let blockWidth = count + (nullable ? 1 : 0)
                    for row in 0..<rows {
                        let block = UnsafeBufferPointer(rebasing: values[(row * width + offset)..<(row * width + offset + blockWidth)])
                        let choice = choose(in: block, selection)
                        codes[row] = choice < count ? Int32(choice) : -1
                    }
                    columns.append(.categories(codes))
                case .numeric(let offset, let scaler, let nullIndicator, let bounds):
                    var numbers = [Double](repeating: .nan, count: rows)
                    let resolution = column.kind == .datetime
                        ? (try? DatetimeFormat(pattern: column.effectiveDatetimeFormat))?.resolutionSeconds ?? 1 : 1
                    for row in 0..<rows {
                        let rowStart = row * width
                        if let nullIndicator, isMissing(values[rowStart + nullIndicator], selection) { continue }
                        var x: Double
                        if case .modeSpecific(let means, let deviations, _) = scaler {
                            let modes = UnsafeBufferPointer(rebasing: values[(rowStart + offset + 1)..<(rowStart + offset + 1 + means.count)])
                            let mode = choose(in: modes, selection)
                            let alpha = min(max(Double(values[rowStart + offset]), -1), 1)
                            x = means[mode] + alpha * 4 * deviations[mode]
                        } else {
                            x = scaler.unscaled(Double(values[rowStart + offset]))
                        }
                        numbers[row] = finished(x, column: column, bounds: bounds, datetimeResolution: resolution)
                    }
                    columns.append(.numbers(numbers))
                }
            }
        }
        var released = schema
        released.columns = kept
        return Table(unchecked: released, columns: columns, rowCount: rows, source: "synthetic",
                     rowOrigins: Array(1..<(rows + 1)), originsAreLines: false)
    }

    /// Clamps to the bounds and rounds as the column's kind asks.
    private func finished(_ value: Double, column: ColumnSchema, bounds: Bounds, datetimeResolution resolution: Double) -> Double {
        var x = value.isFinite ? bounds.clamped(value) : bounds.min
        switch column.kind {
        case .integer:
            x = x.rounded()
            if x < bounds.min { x += 1 }
            if x > bounds.max { x -= 1 }
        case .datetime:
            x = (x / resolution).rounded() * resolution
            if x < bounds.min { x += resolution }
            if x > bounds.max { x -= resolution }
        default:
            if let decimals = column.decimals {
                let scale = pow(10, Double(decimals))
                x = (x * scale).rounded() / scale
            }
        }
        return x
    }

    private func isMissing(_ indicator: Float, _ selection: CategorySelection) -> Bool {
        switch selection {
        case .argmax: return indicator > 0.5
        case .sample(let random): return random.nextBernoulli(Double(min(max(indicator, 0), 1)))
        }
    }

    private func choose(in block: UnsafeBufferPointer<Float>, _ selection: CategorySelection) -> Int {
        var best = 0
        for index in block.indices where block[index] > block[best] { best = index }
        guard case .sample(let random) = selection else { return best }
        var total: Double = 0
        for value in block { total += Double(max(value, 0)) }
        guard total > 0, total.isFinite else { return best }
        var target = random.nextUnitDouble() * total
        for index in block.indices {
            target -= Double(max(block[index], 0))
            if target < 0 { return index }
        }
        return best
    }

    private func generateIdentifiers(count: Int, _ generation: IdentifierGeneration) -> [String?] {
        switch generation {
        case .sequential(let start):
            return (0..<count).map { String(start + $0) }
        case .randomUUID(let random):
            return (0..<count).map { _ in
                var bytes = [UInt8](repeating: 0, count: 16)
                let high = random.next(), low = random.next()
                for i in 0..<8 {
                    bytes[i] = UInt8(truncatingIfNeeded: high >> (8 * UInt64(i)))
                    bytes[8 + i] = UInt8(truncatingIfNeeded: low >> (8 * UInt64(i)))
                }
                bytes[6] = (bytes[6] & 0x0F) | 0x40
                bytes[8] = (bytes[8] & 0x3F) | 0x80
                let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                                       bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
                return uuid.uuidString.lowercased()
            }
        }
    }
}

extension TableEncoder {
    /// Reads and encodes a source batch by batch, so memory holds the matrix plus one batch of
    /// typed rows, never the whole typed table.
    ///
    /// CSV takes `encodeCSV` (one allocation; the file split at record boundaries, each part
    /// parsed and encoded on its own thread). SQLite results grow in blocks of `batchSize`
    /// rows copied into one array at the end.
    ///
    /// - Parameter threadCount: threads reading a CSV file (the CLI passes `Engine.threadCount`,
    ///   i.e. `--threads` or `DPSYNTH_THREADS`); the result does not depend on it.
    public func encode(_ source: DataSource, strict: Bool = false, batchSize: Int = 65_536,
                       threadCount: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> (matrix: EncodedMatrix, report: EncodingReport) {
        var report = EncodingReport(columnNames: schema.columns.map(\.name))
        if case .csv(let url) = source {
            return try encodeCSV(url, strict: strict, threadCount: max(1, threadCount))
        }
        var blocks: [[Float]] = []
        var rows = 0
        try Table.forEachChunk(of: source, schema: schema, batchSize: batchSize) { builder, isLines in
            let chunk = builder.makeTable(originsAreLines: isLines)
            blocks.append(try [Float](unsafeUninitializedCapacity: chunk.rowCount * width) { buffer, initialized in
                try encode(chunk, into: buffer, report: &report, strict: strict)
                initialized = chunk.rowCount * width
            })
            rows += chunk.rowCount
        }
        let total = rows * width
        let values = [Float](unsafeUninitializedCapacity: total) { buffer, initialized in
            var offset = 0
            blocks.reverse()
            while let block = blocks.popLast() {
                block.withUnsafeBufferPointer { source in
                    guard let from = source.baseAddress, let to = buffer.baseAddress else { return }
                    (to + offset).initialize(from: from, count: source.count)
                }
                offset += block.count
            }
            initialized = total
        }
        return (EncodedMatrix(values: values, rowCount: rows, width: width), report)
    }
}
