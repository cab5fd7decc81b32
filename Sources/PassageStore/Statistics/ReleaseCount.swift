import Foundation
import PassageCore

/// A STATS table's true counts as of a release's boundary, before any disclosure control: what
/// `StatisticsStore.count` reads (on a read standby, or the primary) and
/// `StatisticsStore.export(…, counted:)` publishes and keeps as the release on the primary.
/// Never leaves the server.
public struct ReleaseCount: Sendable, Equatable {
    /// The release's boundary: rows recorded before it were counted.
    public let cutoff: Date
    let cells: [CountCell]

    init(cutoff: Date, cells: [CountCell]) {
        self.cutoff = cutoff
        self.cells = cells
    }
}
