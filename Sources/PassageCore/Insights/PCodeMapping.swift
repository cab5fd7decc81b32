import Foundation

/// OCHA P-codes of first-level areas, keyed by the ISO 3166-2 code Passage records (`UA-30` → the
/// P-code of Kyiv city in the country's common operational dataset). P-codes are not ISO's and
/// change when a country's COD is revised, so they come from a replaceable CSV file the operator
/// keeps (`iso3166_2,pcode`, a header line first), never from code. With a mapping, HXL outputs
/// carry an `#adm1+code+v_pcode` column beside the ISO one (Docs/anonymisation.md).
public struct PCodeMapping: Sendable, Equatable {
    public private(set) var pcodeByArea: [String: String]

    public init(_ pcodeByArea: [String: String]) { self.pcodeByArea = pcodeByArea }

    public func pcode(area: String) -> String? { pcodeByArea[area] }

    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads the mapping file's text; refuses, naming the line, anything but two non-empty fields
    /// of letters, digits and `-`, an ISO code without its country prefix, or an area mapped twice.
    public static func parse(csv text: String) throws -> PCodeMapping {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first, header.lowercased().replacingOccurrences(of: " ", with: "") == "iso3166_2,pcode"
        else { throw Invalid(description: "P-code mapping: the first line must be the header iso3166_2,pcode") }
        var mapping: [String: String] = [:]
        for (index, line) in lines.enumerated().dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            let allowed = { (field: String) in
                !field.isEmpty && field.count <= 20 && field.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }
            }
            guard fields.count == 2, allowed(fields[0]), allowed(fields[1]) else {
                throw Invalid(description: "P-code mapping line \(index + 1): expected ISO 3166-2 code,P-code, got \(line.prefix(60))")
            }
            let area = fields[0].uppercased()
            guard area.count >= 4, area.dropFirst(2).first == "-", CountryCodes.alpha3(String(area.prefix(2))) != nil else {
                throw Invalid(description: "P-code mapping line \(index + 1): \(area) is not an ISO 3166-2 code (CC-XX)")
            }
            guard mapping[area] == nil else {
                throw Invalid(description: "P-code mapping line \(index + 1): \(area) is mapped twice")
            }
            mapping[area] = fields[1]
        }
        return PCodeMapping(mapping)
    }
}
