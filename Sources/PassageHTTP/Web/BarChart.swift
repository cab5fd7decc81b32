/// A horizontal bar chart as inline SVG (no script, no style attribute: classes styled by
/// app.css). A suppressed count is never a bar: its row carries the word "suppressed" where
/// the bar would be, so a hidden small count can never be read as zero or as "small".
struct BarChart {
    struct Bar {
        let label: String
        /// nil: suppressed (fewer than k after perturbation, zeros included).
        let value: Int?
    }

    let id: String
    let title: String
    let bars: [Bar]

    static let width = 720
    static let labelWidth = 280
    static let barSpace = 340
    static let rowHeight = 22

    func svg(_ texts: WebTexts) -> String {
        let height = max(1, bars.count) * Self.rowHeight + 8
        let largest = bars.compactMap(\.value).max() ?? 1
        // The chart keeps left-to-right geometry in an Arabic page: SVG flips text-anchor under
        // an inherited rtl direction, which put the labels over the bars and the "suppressed" marks.
        var svg =
            "<svg id=\"\(id)\" class=\"chart\" direction=\"ltr\" role=\"img\" aria-labelledby=\"\(id)-title\" width=\"\(Self.width)\" height=\"\(height)\" viewBox=\"0 0 \(Self.width) \(height)\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<title id=\"\(id)-title\">\(HTML.escape(title))</title>"
        for (index, bar) in bars.enumerated() {
            let y = index * Self.rowHeight + 4
            let label = bar.label.count > 40 ? String(bar.label.prefix(39)) + "…" : bar.label
            svg += "<g class=\"row\" data-suppressed=\"\(bar.value == nil)\">"
            svg +=
                "<text class=\"label\" x=\"\(Self.labelWidth - 6)\" y=\"\(y + 13)\" text-anchor=\"end\">\(HTML.escape(label))</text>"
            if let value = bar.value {
                // Published counts are at least k (≥ 5): a bar is never shorter than a pixel.
                let length = max(1, value * Self.barSpace / max(1, largest))
                svg +=
                    "<rect class=\"bar\" x=\"\(Self.labelWidth)\" y=\"\(y)\" width=\"\(length)\" height=\"16\"><title>\(HTML.escape(bar.label)): \(value)</title></rect>"
                svg += "<text class=\"value\" x=\"\(Self.labelWidth + length + 4)\" y=\"\(y + 13)\">\(value)</text>"
            } else {
                svg +=
                    "<text class=\"suppressed-mark\" x=\"\(Self.labelWidth + 4)\" y=\"\(y + 13)\">\(HTML.escape(texts["chart.suppressed"]))</text>"
            }
            svg += "</g>"
        }
        svg += "</svg>"
        return svg
    }

    /// The legend under every chart: what a bar is and what "suppressed" means.
    static func legend(id: String, k: Int, _ texts: WebTexts) -> String {
        "<ul class=\"legend\" id=\"\(id)\"><li><span class=\"swatch bar\"></span>\(HTML.escape(texts["chart.legend.count"]))</li>"
            + "<li><span class=\"swatch suppressed\"></span>\(HTML.escape(texts.format("chart.legend.suppressed", ["k": String(k)])))</li></ul>"
    }
}
