import FPGraph
import FPNumerics

extension ValuesJSON {
    /// Matches values to a graph's parameters and returns them in parameter order.
    ///
    /// A key is a parameter's name, one of its aliases (when no other
    /// parameter shares it) or its position `#i`. Every parameter must be
    /// given exactly once, with the parameter's dtype and shape, and with
    /// elements that are values of the dtype (floats exactly representable,
    /// integers in range).
    ///
    /// - Throws: ``FormatError`` located at the offending key when known.
    public static func bind(_ entries: [Entry], to parameters: [GraphParameter]) throws -> [Tensor] {
        var bound = [Entry?](repeating: nil, count: parameters.count)
        // Positions in `parameters` (which may be any subset of a graph's parameters).
        let position = Dictionary(uniqueKeysWithValues: parameters.enumerated().map { ($1.index, $0) })
        for entry in entries {
            guard let parameter = parameters.parameter(named: entry.key) else {
                throw FormatError.unknownParameter(
                    key: entry.key,
                    suggestions: entry.key.closestMatches(in: parameters.map(\.name)),
                    location: entry.location)
            }
            if let first = bound[position[parameter.index]!] {
                throw FormatError.duplicateBinding(
                    parameter: parameter.name, key: entry.key, firstKey: first.key,
                    location: entry.location)
            }
            try check(entry, against: parameter)
            bound[position[parameter.index]!] = entry
        }
        return try parameters.enumerated().map { k, parameter in
            guard let entry = bound[k] else {
                let fileStart = entries.first?.location.map { SourceLocation(file: $0.file, line: 1, column: 1) }
                throw FormatError.missingBinding(parameter: parameter.name, type: parameter.type, location: fileStart)
            }
            return entry.value
        }
    }

    /// ``bind(_:to:)`` for values without source locations (for example built in code).
    public static func bind(
        _ values: [(key: String, value: Tensor)],
        to parameters: [GraphParameter]
    ) throws -> [Tensor] {
        try bind(values.map { Entry(key: $0.key, value: $0.value) }, to: parameters)
    }

    private static func check(_ entry: Entry, against parameter: GraphParameter) throws {
        let value = entry.value
        let wanted = "the graph's parameter '\(parameter.name)' is \(parameter.type)"
        if value.dtype != parameter.type.dtype {
            throw FormatError.typeMismatch(
                key: entry.key, message: "'\(entry.key)' is \(value.dtype.rawValue) but \(wanted)",
                location: entry.location)
        }
        if value.shape != parameter.type.dimensions {
            throw FormatError.typeMismatch(
                key: entry.key, message: "'\(entry.key)' has shape \(value.shape) but \(wanted)",
                location: entry.location)
        }
        if value.count != parameter.type.elementCount {
            throw FormatError.typeMismatch(
                key: entry.key,
                message:
                    "'\(entry.key)' holds \(value.count) elements but shape \(value.shape) needs \(parameter.type.elementCount)",
                location: entry.location)
        }
        switch value.elements {
        case .floats(let elements):
            guard let format = value.dtype.floatFormat else {
                throw FormatError.typeMismatch(
                    key: entry.key, message: "'\(entry.key)' holds floats but its dtype is \(value.dtype.rawValue)",
                    location: entry.location)
            }
            if let i = elements.firstIndex(where: { !format.isRepresentable($0) }) {
                throw FormatError.notRepresentable(
                    key: entry.key, index: i, value: HexFloat.format(elements[i]),
                    dtype: value.dtype, location: entry.location)
            }
        case .integers(let elements):
            guard let range = value.dtype.integerRange else {
                throw FormatError.typeMismatch(
                    key: entry.key, message: "'\(entry.key)' holds integers but its dtype is \(value.dtype.rawValue)",
                    location: entry.location)
            }
            if let i = elements.firstIndex(where: { !range.contains($0) }) {
                throw FormatError.notRepresentable(
                    key: entry.key, index: i, value: String(elements[i]),
                    dtype: value.dtype, location: entry.location)
            }
        }
    }
}
