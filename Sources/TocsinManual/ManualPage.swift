import ArgumentParser
import Foundation

/// A man page (roff, `man` macros) written from a command's own ArgumentParser definitions:
/// its abstract and discussion, and each subcommand's help screen, so the page says what
/// `--help` says and cannot fall behind it.
public struct ManualPage {
    public var command: any ParsableCommand.Type
    public var section: Int
    /// Sections after the commands, as (title, text) pairs.
    public var extra: [(title: String, text: String)]

    public init(_ command: any ParsableCommand.Type, section: Int, extra: [(title: String, text: String)] = []) {
        self.command = command
        self.section = section
        self.extra = extra
    }

    public var text: String {
        let name = command._commandName
        let configuration = command.configuration
        let visible = configuration.subcommands.filter { $0.configuration.shouldDisplay }
        var page = """
            .TH \(Self.escaped(name.uppercased())) \(section) "" "Tocsin" "Tocsin Manual"
            .SH NAME
            \(Self.escaped(name)) \\- \(Self.escaped(configuration.abstract))
            .SH SYNOPSIS
            .nf
            \(Self.escaped(command.usageString(for: command)))
            .fi

            """
        if !configuration.discussion.isEmpty {
            page += ".SH DESCRIPTION\n\(Self.paragraphs(configuration.discussion))"
        }
        if visible.isEmpty {
            page += ".SH OPTIONS\n.nf\n\(Self.escaped(Self.optionsPart(of: command.helpMessage(for: command, columns: 100))))\n.fi\n"
        } else {
            page += ".SH COMMANDS\n"
            for subcommand in visible {
                page += ".TP\n.B \(Self.escaped(subcommand._commandName))\n\(Self.escaped(subcommand.configuration.abstract))\n"
            }
            for subcommand in visible {
                page += ".SS \"\(Self.escaped("\(name) \(subcommand._commandName)"))\"\n"
                page += ".nf\n\(Self.escaped(command.helpMessage(for: subcommand, columns: 100).trimmingTrailingWhitespace))\n.fi\n"
            }
        }
        for (title, text) in extra {
            page += ".SH \(Self.escaped(title.uppercased()))\n\(Self.paragraphs(text))"
        }
        return page
    }

    /// The help screen's options, below its `OPTIONS:` heading.
    private static func optionsPart(of help: String) -> String {
        guard let start = help.range(of: "OPTIONS:\n") else { return help.trimmingTrailingWhitespace }
        return String(help[start.upperBound...]).trimmingTrailingWhitespace
    }

    private static func paragraphs(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: true).map { ".PP\n\(escaped(String($0)))\n" }.joined()
    }

    /// Text safe in roff: backslashes written as `\e`, characters beyond ASCII as `\[uXXXX]`
    /// (roff reads its input as Latin-1), and a leading `.` or `'` kept from being read as a request.
    static func escaped(_ text: String) -> String {
        var ascii = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": ascii += "\\e"
            case _ where scalar.isASCII: ascii.unicodeScalars.append(scalar)
            default: ascii += "\\[u" + String(format: "%04X", scalar.value) + "]"
            }
        }
        return ascii.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix(".") || line.hasPrefix("'") ? "\\&" + line : String(line)
        }.joined(separator: "\n")
    }
}

extension String {
    fileprivate var trimmingTrailingWhitespace: String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
