/// Reads durations as people write them in config: `90s`, `5m`, `1h30m`, `250ms`.
public enum DurationText {
    public static func parse(_ text: String) -> Duration? {
        var total = Duration.zero
        var number = ""
        var unit = ""
        var sawAny = false
        func flush() -> Bool {
            guard let value = Int64(number) else { return false }
            switch unit {
            case "ms": total += .milliseconds(value)
            case "s": total += .seconds(value)
            case "m": total += .seconds(value * 60)
            case "h": total += .seconds(value * 3600)
            case "d": total += .seconds(value * 86400)
            default: return false
            }
            number = ""
            unit = ""
            sawAny = true
            return true
        }
        for character in text.trimmingCharacters(in: .whitespaces) {
            if character.isNumber {
                if !unit.isEmpty, !flush() { return nil }
                number.append(character)
            } else if character.isLetter {
                guard !number.isEmpty else { return nil }
                unit.append(character)
            } else {
                return nil
            }
        }
        if !number.isEmpty || !unit.isEmpty {
            guard flush() else { return nil }
        }
        return sawAny ? total : nil
    }
}

import Foundation
