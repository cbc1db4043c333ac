import Foundation

/// A horizontal bar chart drawn on the server as SVG: no script, no style attribute (the
/// console's stylesheet colours the bars by class), a title for screen readers, and every
/// value also written beside its bar.
struct BarChart {
    /// One value of a group: its series (a CSS class and a name for the key) and its text.
    struct Bar {
        var series: String
        var value: Double
        var text: String
    }

    /// One group of bars, under one label.
    struct Group {
        var label: String
        var bars: [Bar]
    }

    var title: String
    var groups: [Group]
    /// The value of a full-width bar; the longest value when nil.
    var scale: Double?

    static let labelWidth = 200.0, barWidth = 440.0, barHeight = 16.0, spacing = 10.0

    var html: HTML {
        let longest = scale ?? max(1, groups.flatMap { $0.bars.map(\.value) }.max() ?? 1)
        var y = 4.0
        var parts: [HTML] = []
        for group in groups {
            parts.append("<text class=\"chart-label\" x=\"0\" y=\"\(Self.number(y + Self.barHeight - 3))\">\(group.label)</text>")
            for bar in group.bars {
                let width = max(0, bar.value) / longest * Self.barWidth
                parts.append("""
                    <rect class="bar \(bar.series)" x="\(Self.number(Self.labelWidth))" y="\(Self.number(y))" width="\(Self.number(width))" height="\(Self.number(Self.barHeight))"></rect>
                    <text class="chart-value" x="\(Self.number(Self.labelWidth + width + 6))" y="\(Self.number(y + Self.barHeight - 4))">\(bar.text)</text>
                    """)
                y += Self.barHeight
            }
            y += Self.spacing
        }
        let width = Self.labelWidth + Self.barWidth + 160
        return """
            <svg class="chart" viewBox="0 0 \(Self.number(width)) \(Self.number(max(y, 24)))" width="\(Self.number(width))" height="\(Self.number(max(y, 24)))" role="img" aria-label="\(title)">
            <title>\(title)</title>\(parts)</svg>
            """
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }
}
