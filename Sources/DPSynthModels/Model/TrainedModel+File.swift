import Foundation
import DPSynthTabular

/// The model file's JSON header: everything but the weights.
struct ModelHeader: Codable {
    var toolVersion: String
    var modelKind: ModelKind
    var configuration: TabularGANConfiguration
    var schema: Schema
    /// Width of the encoder's matrix, checked against the schema on load.
    var encodedWidth: Int
    var labelMarginal: LabelMarginal?
    var privacy: PrivacyRecord
    var history: TrainingHistory
    /// Generator parameters (name and shape), checked before the payload is read.
    var parameters: [ParameterEntry]

    struct ParameterEntry: Codable, Equatable {
        var name: String
        var shape: [Int]
    }
}

extension TrainedModel {
    /// JSON that keeps ε = ∞ (a `--no-privacy` model): JSONEncoder refuses non-finite numbers
    /// unless told how to write them, so they are written as the strings "Infinity",
    /// "-Infinity" and "NaN", and read back the same way.
    static func headerEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    static func headerDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }

    /// The model as a container (header JSON + generator parameters), checksummed when serialised.
    public func container(toolVersion: String) throws -> ModelContainer {
        let header = ModelHeader(
            toolVersion: toolVersion, modelKind: configuration.modelKind, configuration: configuration, schema: schema,
            encodedWidth: encoder.width, labelMarginal: labelMarginal, privacy: privacy, history: history,
            parameters: generator.storedParameters.map { .init(name: $0.name, shape: $0.shape) })
        return ModelContainer(header: Array(try Self.headerEncoder().encode(header)), payload: parameterBytes)
    }

    /// The model file's bytes.
    public func serialized(toolVersion: String) throws -> [UInt8] {
        try container(toolVersion: toolVersion).serialized()
    }

    /// Writes the model file atomically (temporary file in the same directory, then rename).
    public func write(to url: URL, toolVersion: String, overwrite: Bool = true) throws {
        try AtomicFile.write(Data(try serialized(toolVersion: toolVersion)), to: url, overwrite: overwrite)
    }

    /// Loads and verifies a model from a container: the header decodes, the schema rebuilds the
    /// same encoder width, the parameter list matches the configuration, the payload loads.
    public convenience init(container: ModelContainer, source: String) throws {
        let header: ModelHeader
        do {
            header = try Self.headerDecoder().decode(ModelHeader.self, from: Data(container.header))
        } catch {
            throw ModelFileError.corrupt(path: source, reason: "the header does not decode (\(Self.describe(error)))")
        }
        guard header.modelKind == header.configuration.modelKind else {
            throw ModelFileError.corrupt(path: source, reason: "the header says model \(header.modelKind.rawValue) but its configuration says \(header.configuration.modelKind.rawValue)")
        }
        do {
            try self.init(configuration: header.configuration, schema: header.schema, labelMarginal: header.labelMarginal,
                          privacy: header.privacy, history: header.history, parameterBytes: container.payload)
        } catch {
            throw ModelFileError.corrupt(path: source, reason: "\(error)")
        }
        guard encoder.width == header.encodedWidth else {
            throw ModelFileError.corrupt(path: source, reason: "the schema encodes \(encoder.width) columns but the model was trained on \(header.encodedWidth)")
        }
        let expected = generator.storedParameters.map { ModelHeader.ParameterEntry(name: $0.name, shape: $0.shape) }
        guard expected == header.parameters else {
            throw ModelFileError.corrupt(path: source, reason: "the header's parameter list does not match the configuration's generator")
        }
    }

    /// Loads and verifies a model file's bytes.
    public convenience init(bytes: [UInt8], source: String) throws {
        try self.init(container: try ModelContainer(bytes: bytes, source: source), source: source)
    }

    /// Reads and verifies a model file.
    public convenience init(contentsOf url: URL) throws {
        let data: Data
        // Foundation's text for a missing file is "The operation could not be completed. The
        // file doesn't exist."; say it as the schema and data readers do.
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ModelFileError.unreadable(path: url.path, reason: "no such file")
        }
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelFileError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        try self.init(bytes: [UInt8](data), source: url.path)
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing '\(key.stringValue)' at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            return "\(context.debugDescription) at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        default:
            return "\(error)"
        }
    }
}
