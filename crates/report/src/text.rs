//! Line breaking for the PDF, which (unlike a browser) lays out every line itself.
//!
//! Greedy: a line takes as much as fits and breaks at the last opportunity. Breaks are
//! allowed after a space and on either side of a Chinese character, except before
//! closing punctuation (，。）…) and after opening punctuation (（「…), the usual
//! 避头尾 rules. A word wider than the line (a SHA-256, a URL) is broken between any two
//! characters, so no line is ever wider than asked. Widths come from a function of the
//! character, so this module knows nothing of fonts and its tests need none.

/// Ideographs, kana, hangul, CJK punctuation and full-width forms.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF
        | 0x3000..=0x303F
        | 0x3040..=0x30FF
        | 0x3100..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF)
}

/// Spaces a line may break at (and drops at its ends). The thin space grouping digits
/// (U+2009) is not one: `1 234` stays on one line.
fn is_break_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}')
}

/// Must not start a line.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '）'
            | '」'
            | '』'
            | '》'
            | '〉'
            | '】'
            | '〕'
            | '”'
            | '’'
            | '…'
            | '・'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '%'
            | '％'
    )
}

/// Must not end a line.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '（' | '「' | '『' | '《' | '〈' | '【' | '〔' | '“' | '‘' | '(' | '[' | '{'
    )
}

fn can_break_between(prev: char, c: char) -> bool {
    if is_break_space(c) {
        return false;
    }
    if is_break_space(prev) {
        return true;
    }
    if is_closing(c) || is_opening(prev) {
        return false;
    }
    if is_cjk(prev) || is_cjk(c) {
        return true;
    }
    // After a hyphen or slash inside a long identifier, before a letter or digit.
    matches!(prev, '-' | '/' | '–' | '—') && c.is_alphanumeric()
}

/// Breaks `text` into lines no wider than `max_width`, where `advance` gives a
/// character's width. `\n` forces a break; spaces at the ends of lines are dropped.
pub(crate) fn wrap(text: &str, max_width: f32, advance: impl Fn(char) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let chars: Vec<char> = paragraph.chars().collect();
        let widths: Vec<f32> = chars.iter().map(|&c| advance(c)).collect();
        let n = chars.len();
        let mut start = 0;
        let mut pushed = false;
        loop {
            while start < n && is_break_space(chars[start]) {
                start += 1;
            }
            if start >= n {
                break;
            }
            let mut width = 0.0;
            let mut last_break = None;
            let mut end = n;
            let mut i = start;
            while i < n {
                if i > start && can_break_between(chars[i - 1], chars[i]) {
                    last_break = Some(i);
                }
                if !is_break_space(chars[i]) && width + widths[i] > max_width {
                    end = match last_break {
                        Some(b) => b,
                        // One character wider than the line goes alone: nothing fits better.
                        None if i == start => i + 1,
                        None => i,
                    };
                    break;
                }
                width += widths[i];
                i += 1;
            }
            let line: String = chars[start..end].iter().collect();
            lines.push(line.trim_end_matches(is_break_space).to_string());
            pushed = true;
            start = end;
        }
        if !pushed {
            lines.push(String::new());
        }
    }
    // A trailing empty paragraph (text ending in '\n') adds no line.
    if text.ends_with('\n') && lines.len() > 1 {
        lines.pop();
    }
    lines
}

/// Sum of the advances of `text`.
pub(crate) fn width(text: &str, advance: impl Fn(char) -> f32) -> f32 {
    text.chars().map(advance).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A monospace-like metric: CJK 1 em, Latin 0.5 em, space 0.25 em, at 10 pt.
    fn metric(c: char) -> f32 {
        if is_cjk(c) {
            10.0
        } else if c == ' ' {
            2.5
        } else {
            5.0
        }
    }

    fn check(text: &str, max: f32) -> Vec<String> {
        let lines = wrap(text, max, metric);
        for line in &lines {
            let w = width(line, metric);
            // A single over-wide character is the only allowed excess.
            assert!(
                w <= max || line.chars().count() == 1,
                "line {line:?} is {w} wide, more than {max}"
            );
            assert_eq!(
                line.trim_matches(' '),
                line,
                "spaces at the ends of {line:?}"
            );
        }
        // Nothing is lost but the spaces at the breaks.
        let strip = |s: &str| {
            s.chars()
                .filter(|c| !is_break_space(*c) && *c != '\n')
                .collect::<String>()
        };
        assert_eq!(strip(&lines.concat()), strip(text), "text changed");
        lines
    }

    #[test]
    fn latin_breaks_at_spaces() {
        assert_eq!(
            check("the quick brown fox", 50.0),
            vec!["the quick", "brown fox"]
        );
    }

    #[test]
    fn chinese_breaks_between_any_characters_but_not_before_closing_punctuation() {
        assert_eq!(
            check("碳足迹研究报告", 30.0),
            vec!["碳足迹", "研究报", "告"]
        );
        // "。" may not start a line: "告。" moves down together.
        assert_eq!(check("研究报告。完", 40.0), vec!["研究报", "告。完"]);
        // "（" may not end a line.
        assert_eq!(check("甲乙（丙）", 30.0), vec!["甲乙", "（丙）"]);
    }

    #[test]
    fn long_words_are_broken_anywhere_and_hyphens_are_break_points() {
        let sha = "0123456789abcdef".repeat(4);
        let lines = check(&sha, 100.0);
        assert_eq!(lines.len(), 4);
        assert_eq!(check("cradle-to-gate", 40.0), vec!["cradle-", "to-gate"]);
    }

    #[test]
    fn mixed_scripts_newlines_and_thin_spaces() {
        let lines = check("电池包 LFP battery pack，1\u{2009}234 kg\n第二行", 60.0);
        assert!(
            lines.iter().any(|l| l.contains("1\u{2009}234")),
            "{lines:?}"
        );
        assert_eq!(lines.last().map(String::as_str), Some("第二行"));
        assert_eq!(wrap("", 10.0, metric), vec![""]);
        assert_eq!(wrap("a\n\nb", 10.0, metric), vec!["a", "", "b"]);
    }

    #[test]
    fn no_line_is_wider_than_asked_over_many_widths() {
        let texts = [
            "磷酸铁锂动力电池包（LFP battery pack）的碳足迹为 78.75 kg CO2e / 1 kWh，其中原材料获取阶段占 62.3%。",
            "Structure per the Chinese Li-ion CFP guide (PCRS.md §A): raw materials, energy, transport, cell and pack production.",
            "zuji-default/transport/freight/road/hgv-diesel-average/defra2025/wtw",
        ];
        for text in texts {
            for max in [10.0, 17.5, 33.0, 80.0, 123.4, 400.0] {
                check(text, max);
            }
        }
    }
}
