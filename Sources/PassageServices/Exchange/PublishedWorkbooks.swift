import Foundation
import PassageCore

/// The XLSX form of every published table: the table on its first sheet, exactly the cells of
/// the CSV form (counts as numbers, a suppressed count an empty cell, never 0), and on a sheet
/// of its own, `protections`, what was released and every protection applied — what the CSV
/// form carries in its `protection:` lines and headers. Docs/anonymisation.md "XLSX".
public enum PublishedWorkbooks {
    /// STATS and `passage export` aggregates: `by…, count, suppressed`, one row per cell.
    public static func statistics(_ export: StatisticsExport) -> Spreadsheet {
        let table = export.table
        var rows: [[SpreadsheetCell]] = [(table.dimensions + ["count", "suppressed"]).map { .text($0) }]
        rows += table.cells.map { cell in
            cell.values.map { .text($0) } + [.count(cell.value), .text(cell.suppressed ? "true" : "false")]
        }
        var about: [(String, SpreadsheetCell)] = [
            ("release", .text(export.release)), ("window", .text(export.window)),
            ("counted", .text(export.unit.rawValue)),
        ]
        if export.epsilonSpent > 0 {
            about.append(("epsilon_spent", .number(export.epsilonSpent)))
            if let left = export.budgetLeft { about.append(("budget_left", .number(left))) }
        }
        about += export.filters.map { ("filter", .text("\($0.dimension)=\($0.value)")) }
        return Spreadsheet(
            sheets: [
                .init(name: "statistics", rows: rows),
                Spreadsheet.protectionsSheet(about: about, protections: table.protections),
            ],
            created: created(release: export.release, protections: table.protections))
    }

    /// A GAPS answer: its columns, counts and figures as numbers, a value not shown empty; the
    /// protections sheet also holds the answer's notes (`gapsNotes`).
    public static func gaps(_ answer: GapsAnswer) -> Spreadsheet {
        let published = answer.published
        var rows: [[SpreadsheetCell]] = [published.columns.map { .text($0.name) }]
        rows += published.rows.map { row in
            row.map { cell -> SpreadsheetCell in
                switch cell {
                case .text(let text): .text(text)
                case .count(let count): .count(count)
                case .figure(let figure): figure.map { $0.isFinite ? .number($0) : .empty } ?? .empty
                }
            }
        }
        let scope: String =
            switch answer.scope {
            case .everyOrganisation: "every organisation"
            case .organisation(let name): "organisation \(name)"
            }
        let about: [(String, SpreadsheetCell)] = [
            ("kind", .text(answer.kind.rawValue)), ("scope", .text(scope)),
            ("release", .text(answer.release.dayText)), ("period", .text(answer.release.period.rawValue)),
            ("k", .number(Double(published.k))),
        ]
        return Spreadsheet(
            sheets: [
                .init(name: "gaps \(answer.kind.rawValue)", rows: rows),
                Spreadsheet.protectionsSheet(
                    about: about, protections: published.protections, notes: gapsNotes(answer)),
            ],
            created: answer.release.day)
    }

    /// What a GAPS answer's counts mean (the console's info lines after the protections).
    public static func gapsNotes(_ answer: GapsAnswer) -> [String] {
        var notes = [
            "counts below k=\(answer.published.k) after perturbation, zeros included, show as - (null in JSON); rows with every count suppressed are left out"
        ]
        if answer.kind == .coverage {
            notes.append(
                "a pair is a gap when its published open needs are shown and no active provider serves it, or they exceed the providers' stated capacity"
            )
        }
        if answer.kind == .unmet {
            notes.append(
                "unmet: open, identified at least \(answer.question.days) day(s) ago, and no referral pending, accepted or completed successfully"
            )
        }
        return notes
    }

    /// Anonymised microdata: one row per record, every value text as in the CSV form.
    public static func microdata(_ export: MicrodataExport) -> Spreadsheet {
        let data = export.microdata
        let rows = [data.columns.map { SpreadsheetCell.text($0) }] + data.rows.map { $0.map { .text($0) } }
        return Spreadsheet(
            sheets: [
                .init(name: "microdata", rows: rows),
                Spreadsheet.protectionsSheet(
                    about: [("window", .text(export.window))], protections: export.protections),
            ],
            created: created(release: nil, protections: export.protections))
    }

    /// The release's boundary as the file's creation time: the `release` given, else the
    /// `release` protection's parameter; 1980-01-01 (the earliest a ZIP file records) if neither.
    static func created(release: String?, protections: [AppliedProtection]) -> Date {
        let named = protections.first { $0.name == "release" }?.parameters.first { $0.name == "release" }?.value
        return (release ?? named).flatMap(Spreadsheet.day) ?? Date(timeIntervalSince1970: 315_532_800)
    }
}
