/// A quasi-identifier column of microdata: its name and how it is coarsened.
public struct QuasiIdentifier: Sendable, Equatable {
    public var name: String
    public var generalisation: Generalisation

    public init(name: String, generalisation: Generalisation) {
        self.name = name
        self.generalisation = generalisation
    }
}

/// One record before anonymisation: its quasi-identifier values in column order and, when
/// l-diversity is asked for, its sensitive value.
public struct MicrodataRecord: Sendable, Equatable {
    public var quasiIdentifiers: [String]
    public var sensitive: String?

    public init(quasiIdentifiers: [String], sensitive: String? = nil) {
        self.quasiIdentifiers = quasiIdentifiers
        self.sensitive = sensitive
    }
}

public struct MicrodataParameters: Sendable, Equatable {
    /// Every combination of quasi-identifier values is shared by at least k records.
    public var k: Int
    /// When set, every such group also holds at least this many distinct sensitive values.
    public var lDiversity: Int?
    /// Global generalisation stops once at most this share of records still needs local treatment.
    public var localSuppressionShare: Double

    /// The largest global re-identification risk published (issue 17): the mean over records of
    /// 1 / the size of the record's key group (sdcMicro's global risk as a share); HDX's
    /// threshold is 3 %, Passage's 1 %.
    public var maximumRisk: Double
    /// Columns kept for last: global recoding and local suppression touch them only when no
    /// other column can help (origin and category are what the data are used for).
    public var keptColumns: Set<String>

    public static let defaultK = 11
    public static let minimumK = 3
    public static let defaultMaximumRisk = 0.01

    public init(
        k: Int = MicrodataParameters.defaultK, lDiversity: Int? = nil, localSuppressionShare: Double = 0.05,
        maximumRisk: Double = MicrodataParameters.defaultMaximumRisk, keptColumns: Set<String> = ["origin", "category"]
    ) {
        self.k = k
        self.lDiversity = lDiversity
        self.localSuppressionShare = localSuppressionShare
        self.maximumRisk = maximumRisk
        self.keptColumns = keptColumns
    }
}

/// Microdata that passed: the rows (quasi-identifiers, then the sensitive value if any) and
/// what was done to get there.
public struct AnonymisedMicrodata: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[String]]
    /// The generalisation level applied to each quasi-identifier, by column.
    public var levels: [Int]
    /// Values replaced by `*` in single records (local suppression).
    public var suppressedValues: Int
    /// Records left out because even with every quasi-identifier suppressed their group was too small.
    public var droppedRecords: Int
    /// Global re-identification risk of the rows published (mean of 1 / group size).
    public var globalRisk: Double
    public var protections: [AppliedProtection]

    /// A file as it was published (a release reads a stored one back, issue 17).
    public init(
        columns: [String], rows: [[String]], levels: [Int], suppressedValues: Int, droppedRecords: Int,
        globalRisk: Double, protections: [AppliedProtection]
    ) {
        self.columns = columns
        self.rows = rows
        self.levels = levels
        self.suppressedValues = suppressedValues
        self.droppedRecords = droppedRecords
        self.globalRisk = globalRisk
        self.protections = protections
    }
}

/// k-anonymity by global generalisation then local suppression (the sdcMicro / ARX recipe),
/// with optional distinct l-diversity (Machanavajjhala et al. 2007) on a sensitive column.
public enum MicrodataAnonymiser {
    public static func anonymise(
        _ records: [MicrodataRecord], quasiIdentifiers: [QuasiIdentifier],
        sensitiveColumn: String? = nil,
        parameters: MicrodataParameters
    ) throws(DisclosureError) -> AnonymisedMicrodata {
        guard parameters.k >= MicrodataParameters.minimumK, parameters.k <= 1000 else {
            throw .invalidParameter("k must be between \(MicrodataParameters.minimumK) and 1000, got \(parameters.k)")
        }
        if let l = parameters.lDiversity {
            guard (2...20).contains(l) else {
                throw .invalidParameter("l-diversity must be between 2 and 20, got \(l)")
            }
            guard sensitiveColumn != nil, records.allSatisfy({ $0.sensitive != nil }) else {
                throw .invalidParameter("l-diversity needs a sensitive value on every record")
            }
        }
        guard (0...1).contains(parameters.localSuppressionShare) else {
            throw .invalidParameter("local suppression share must be between 0 and 1")
        }
        guard parameters.maximumRisk > 0, parameters.maximumRisk <= 0.03 else {
            throw .invalidParameter("maximum risk must be above 0 and at most 3% (HDX), got \(parameters.maximumRisk)")
        }
        let q = quasiIdentifiers.count
        guard records.allSatisfy({ $0.quasiIdentifiers.count == q }) else {
            throw .malformedTable("every record needs \(q) quasi-identifier values")
        }
        let state = Grouping(records: records, quasiIdentifiers: quasiIdentifiers, parameters: parameters)

        // Global recoding: one level at a time, the step that leaves the fewest unsafe records.
        var levels = Array(repeating: 0, count: q)
        var unsafe = state.unsafeCount(levels: levels, suppressed: nil)
        let allowance = Int(parameters.localSuppressionShare * Double(records.count))
        while unsafe > allowance {
            var best: (column: Int, unsafe: Int)?
            let open = (0..<q).filter { levels[$0] < quasiIdentifiers[$0].generalisation.topLevel }
            let others = open.filter { !parameters.keptColumns.contains(quasiIdentifiers[$0].name) }
            for column in others.isEmpty ? open : others {
                var trial = levels
                trial[column] += 1
                let count = state.unsafeCount(levels: trial, suppressed: nil)
                if best == nil || count < best!.unsafe { best = (column, count) }
            }
            guard let step = best else { break }
            levels[step.column] += 1
            unsafe = step.unsafe
        }

        // Local suppression: in records still unsafe, suppress values one column at a time, the
        // most varied column first (it singles people out most), until their groups are safe.
        // Kept columns (origin, category) come last.
        let kept = { (column: Int) in parameters.keptColumns.contains(quasiIdentifiers[column].name) }
        let order = (0..<q).sorted {
            if kept($0) != kept($1) { return !kept($0) }
            return state.distinctCount(column: $0, level: levels[$0])
                > state.distinctCount(column: $1, level: levels[$1])
        }
        var suppressedColumns = Array(repeating: 0, count: records.count)
        var suppressedValues = 0
        for step in 1...max(q, 1) where q > 0 {
            let unsafeRecords = state.unsafeRecords(levels: levels, suppressed: suppressedColumns, order: order)
            if unsafeRecords.isEmpty { break }
            for record in unsafeRecords {
                let column = order[step - 1]
                if levels[column] < quasiIdentifiers[column].generalisation.topLevel { suppressedValues += 1 }
                suppressedColumns[record] = step
            }
        }
        // Risk-based local suppression: records whose own risk (1 / group size) is above the
        // threshold lose one more value (in `order`, kept columns last), a whole group at a time,
        // so groups only merge (k and l still hold) — until the global risk is below it.
        var risk = state.risk(levels: levels, suppressed: suppressedColumns, order: order)
        while risk.global >= parameters.maximumRisk {
            let risky = risk.perRecord.indices.filter {
                risk.perRecord[$0] > parameters.maximumRisk && suppressedColumns[$0] < q
            }
            if risky.isEmpty { break }
            for record in risky {
                let column = order[suppressedColumns[record]]
                if levels[column] < quasiIdentifiers[column].generalisation.topLevel { suppressedValues += 1 }
                suppressedColumns[record] += 1
            }
            risk = state.risk(levels: levels, suppressed: suppressedColumns, order: order)
        }
        guard risk.global < parameters.maximumRisk else {
            throw .invalidParameter(
                String(
                    format:
                        "microdata refused: global re-identification risk %.2f%% is above %.2f%% even with every value suppressed",
                    risk.global * 100, parameters.maximumRisk * 100))
        }
        let dropped = Set(state.unsafeRecords(levels: levels, suppressed: suppressedColumns, order: order))

        var rows: [[String]] = []
        rows.reserveCapacity(records.count - dropped.count)
        for (index, record) in records.enumerated() where !dropped.contains(index) {
            var row = state.values(record: index, levels: levels, suppressed: suppressedColumns[index], order: order)
            if sensitiveColumn != nil, let sensitive = record.sensitive { row.append(sensitive) }
            rows.append(row)
        }
        // Sorted, so the order of rows says nothing about when a case was recorded.
        rows.sort { $0.lexicographicallyPrecedes($1) }
        var protections = [
            AppliedProtection(
                name: "k_anonymity",
                parameters: [
                    ProtectionParameter("k", "\(parameters.k)"),
                    ProtectionParameter("quasi_identifiers", quasiIdentifiers.map(\.name).joined(separator: "+")),
                ])
        ]
        protections.append(
            AppliedProtection(
                name: "global_generalisation",
                parameters: zip(quasiIdentifiers, levels).map {
                    ProtectionParameter($0.0.name, "level\($0.1)")
                }))
        protections.append(
            AppliedProtection(
                name: "local_suppression",
                parameters: [
                    ProtectionParameter("values", "\(suppressedValues)"),
                    ProtectionParameter("records_dropped", "\(dropped.count)"),
                ]))
        if let l = parameters.lDiversity, let sensitiveColumn {
            protections.append(
                AppliedProtection(
                    name: "l_diversity",
                    parameters: [
                        ProtectionParameter("l", "\(l)"), ProtectionParameter("sensitive", sensitiveColumn),
                    ]))
        }
        protections.append(
            AppliedProtection(
                name: "reidentification_risk",
                parameters: [
                    ProtectionParameter("global", String(format: "%.3f%%", risk.global * 100)),
                    ProtectionParameter("max_individual", String(format: "%.2f%%", risk.maximum * 100)),
                    ProtectionParameter("threshold", String(format: "%.0f%%", parameters.maximumRisk * 100)),
                    ProtectionParameter("measure", "mean_of_1/group_size"),
                ]))
        return AnonymisedMicrodata(
            columns: quasiIdentifiers.map(\.name) + (sensitiveColumn.map { [$0] } ?? []),
            rows: rows, levels: levels, suppressedValues: suppressedValues,
            droppedRecords: dropped.count, globalRisk: risk.global, protections: protections)
    }
}

/// Records coded as small integers per column and level, so that grouping a large file is a
/// pass over integer keys rather than string arrays.
struct Grouping {
    let quasiIdentifiers: [QuasiIdentifier]
    let k: Int
    let l: Int?
    /// codes[column][level][record]; the code of `*` is `starCode[column]`.
    var codes: [[[UInt32]]] = []
    var names: [[[String]]] = []
    var starCode: [UInt32] = []
    let sensitive: [UInt32]
    let recordCount: Int

    init(records: [MicrodataRecord], quasiIdentifiers: [QuasiIdentifier], parameters: MicrodataParameters) {
        self.quasiIdentifiers = quasiIdentifiers
        k = parameters.k
        l = parameters.lDiversity
        recordCount = records.count
        var sensitiveCodes: [String: UInt32] = [:]
        sensitive = records.map { record in
            let value = record.sensitive ?? ""
            if let code = sensitiveCodes[value] { return code }
            let code = UInt32(sensitiveCodes.count)
            sensitiveCodes[value] = code
            return code
        }
        for (column, qi) in quasiIdentifiers.enumerated() {
            var table: [String: UInt32] = [Generalisation.suppressed: 0]
            var byLevel: [[UInt32]] = []
            for level in 0...qi.generalisation.topLevel {
                byLevel.append(
                    records.map { record in
                        let value = qi.generalisation.generalise(record.quasiIdentifiers[column], level: level)
                        if let code = table[value] { return code }
                        let code = UInt32(table.count)
                        table[value] = code
                        return code
                    })
            }
            codes.append(byLevel)
            var decoded = Array(repeating: "", count: table.count)
            for (value, code) in table { decoded[Int(code)] = value }
            names.append([decoded])
            starCode.append(0)
        }
    }

    private func code(record: Int, column: Int, level: Int) -> UInt32 {
        codes[column][min(level, codes[column].count - 1)][record]
    }

    /// A record's group key: its codes at the levels, with its first `suppressed` columns of
    /// `order` replaced by `*`. Hashing an array of codes is exact (no collisions to worry about).
    private func key(record: Int, levels: [Int], suppressed: Int, order: [Int]) -> [UInt32] {
        var key = (0..<levels.count).map { code(record: record, column: $0, level: levels[$0]) }
        for position in 0..<suppressed { key[order[position]] = starCode[order[position]] }
        return key
    }

    func unsafeRecords(levels: [Int], suppressed: [Int]?, order: [Int]) -> [Int] {
        var sizes: [[UInt32]: Int] = [:]
        var diversity: [[UInt32]: Set<UInt32>] = [:]
        var keys: [[UInt32]] = []
        keys.reserveCapacity(recordCount)
        for record in 0..<recordCount {
            let key = key(record: record, levels: levels, suppressed: suppressed?[record] ?? 0, order: order)
            keys.append(key)
            sizes[key, default: 0] += 1
            if l != nil { diversity[key, default: []].insert(sensitive[record]) }
        }
        return (0..<recordCount).filter { record in
            let key = keys[record]
            if sizes[key]! < k { return true }
            if let l, diversity[key]!.count < l { return true }
            return false
        }
    }

    /// Each record's risk (1 / its group's size; 0 for a record that will be dropped as unsafe),
    /// their mean over the records kept, and the largest.
    func risk(levels: [Int], suppressed: [Int], order: [Int]) -> (global: Double, maximum: Double, perRecord: [Double])
    {
        var sizes: [[UInt32]: Int] = [:]
        var keys: [[UInt32]] = []
        keys.reserveCapacity(recordCount)
        for record in 0..<recordCount {
            let key = key(record: record, levels: levels, suppressed: suppressed[record], order: order)
            keys.append(key)
            sizes[key, default: 0] += 1
        }
        let unsafe = Set(unsafeRecords(levels: levels, suppressed: suppressed, order: order))
        var perRecord = Array(repeating: 0.0, count: recordCount)
        var total = 0.0
        var maximum = 0.0
        for record in 0..<recordCount where !unsafe.contains(record) {
            let value = 1 / Double(sizes[keys[record]]!)
            perRecord[record] = value
            total += value
            maximum = max(maximum, value)
        }
        let kept = recordCount - unsafe.count
        return (kept == 0 ? 0 : total / Double(kept), maximum, perRecord)
    }

    func unsafeCount(levels: [Int], suppressed: [Int]?) -> Int {
        unsafeRecords(levels: levels, suppressed: suppressed, order: Array(0..<levels.count)).count
    }

    func distinctCount(column: Int, level: Int) -> Int {
        Set(codes[column][min(level, codes[column].count - 1)]).count
    }

    func values(record: Int, levels: [Int], suppressed: Int, order: [Int]) -> [String] {
        let key = key(record: record, levels: levels, suppressed: suppressed, order: order)
        return key.enumerated().map { names[$0.offset][0][Int($0.element)] }
    }
}
