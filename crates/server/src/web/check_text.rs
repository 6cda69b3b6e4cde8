//! The PCR conformance check's findings in the page's language.
//!
//! `zuji_trust::conformance` writes each finding twice: as an English sentence (`detail`,
//! for the CLI and the API) and as a message id with its values (`message`). Here the
//! message becomes a sentence from `locales/check.toml`, with the enumeration values it
//! carries (stages, boundaries, unit kinds, recycling approaches, allocation methods)
//! translated too. A finding without a message (a report stored before messages
//! existed) or with an id the catalog lacks falls back to the English detail, flagged so
//! the page can mark it `lang="en"`.

use super::Tr;
use zuji_trust::conformance::{CheckItem, CheckMessage};

/// The item's finding in `tr`'s language, and whether it is localized (`false`: the
/// English detail, to be marked `lang="en"`).
pub fn check_detail(tr: &Tr, item: &CheckItem) -> (String, bool) {
    match item.message.as_ref().and_then(|m| render(tr, m)) {
        Some(text) => (text, true),
        None => (item.detail.clone(), false),
    }
}

/// The message's sentence, or `None` when the catalog lacks its id or the sentence
/// names a value the message does not carry (so no `{placeholder}` reaches a page).
pub fn render(tr: &Tr, m: &CheckMessage) -> Option<String> {
    let key = format!("check.msg.{}", m.id);
    let template = tr.t(&key);
    if template == key {
        return None;
    }
    fill(template, |name| value(tr, m, name))
}

/// The value of placeholder `name`: a localized title, an enumeration value in the
/// page's language, a plain value, or the localized "unrecorded" for an optional date
/// or successor the message leaves out.
fn value(tr: &Tr, m: &CheckMessage, name: &str) -> Option<String> {
    if let Some(title) = localized_title(tr, m, name) {
        return Some(title);
    }
    match m.args.get(name) {
        Some(v) => Some(enum_text(tr, name, v).unwrap_or_else(|| v.clone())),
        None => {
            let fallback = format!("check.missing.{name}");
            let text = tr.t(&fallback);
            (text != fallback).then(|| text.to_string())
        }
    }
}

/// `{name}` from `name.<lang>` args (a PCR's own titles); English when the page's
/// language is empty.
fn localized_title(tr: &Tr, m: &CheckMessage, name: &str) -> Option<String> {
    let get = |tag: &str| {
        m.args
            .get(&format!("{name}.{tag}"))
            .filter(|s| !s.trim().is_empty())
    };
    get(tr.tag()).or_else(|| get("en")).cloned()
}

/// An enumeration value (kebab-case, as the trust crate writes it) in the page's
/// language; `None` for an argument that is not an enumeration or a value the catalog
/// does not know, which is then shown as written.
fn enum_text(tr: &Tr, name: &str, value: &str) -> Option<String> {
    let prefix = match name {
        "stage" => "ws.stage",
        "boundary" | "required_boundary" => "ws.boundary",
        "kind" | "required_kind" => "check.unit_kind",
        "approach" | "required_approach" => "ws.recycling",
        "method" => "check.method",
        _ => return None,
    };
    let key = format!("{prefix}.{}", value.replace('-', "_"));
    let text = tr.t(&key);
    (text != key).then(|| text.to_string())
}

/// Replaces each `{name}` in one pass (a value containing braces is never re-read);
/// `None` when a name has no value.
fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> Option<String> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return Some(out);
        };
        out.push_str(&value(&after[..close])?);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use zuji_trust::conformance::{Outcome, Severity};
    use zuji_trust::label::Lang;

    fn item(message: Option<CheckMessage>) -> CheckItem {
        CheckItem {
            key: "test".into(),
            severity: Severity::Mandatory,
            outcome: Outcome::Missed,
            detail: "the English detail".into(),
            message,
        }
    }

    /// The item rendered in the three languages, each flagged localized.
    fn in_three(m: CheckMessage) -> [String; 3] {
        let it = item(Some(m));
        [Lang::ZhHans, Lang::ZhHant, Lang::En].map(|lang| {
            let (text, localized) = check_detail(&Tr::new(lang), &it);
            assert!(localized, "{lang:?}: {text}");
            text
        })
    }

    #[test]
    fn a_draft_pcr_in_three_languages() {
        let m = CheckMessage::new("pcr-status.draft")
            .arg("pcr", "zuji:pcr:battery-pack:draft")
            .arg("version", "0.1.0");
        assert_eq!(
            in_three(m),
            [
                "PCR zuji:pcr:battery-pack:draft 0.1.0 是草案，登记管理机构尚未发布。",
                "PCR zuji:pcr:battery-pack:draft 0.1.0 是草案，登記管理機構尚未發佈。",
                "PCR zuji:pcr:battery-pack:draft 0.1.0 is a draft, not yet published by the registry.",
            ]
        );
    }

    #[test]
    fn boundaries_are_translated_inside_the_sentence() {
        let m = CheckMessage::new("boundary.mismatch")
            .arg("boundary", "cradle-to-grave")
            .arg("required_boundary", "cradle-to-gate");
        assert_eq!(
            in_three(m),
            [
                "系统边界为从摇篮到坟墓；PCR 要求从摇篮到大门。",
                "系統邊界為從搖籃到墳墓；PCR 要求從搖籃到大門。",
                "System boundary: Cradle to grave; the PCR requires Cradle to gate.",
            ]
        );
    }

    #[test]
    fn a_missing_stage_names_the_stage_in_each_language() {
        let m = CheckMessage::new("stage.missing").arg("stage", "raw-material-acquisition");
        assert_eq!(
            in_three(m),
            [
                "必需的“原材料获取”阶段既未建模，也未说明理由声明为零贡献。",
                "必需的「原材料取得」階段既未建模，也未說明理由聲明為零貢獻。",
                "The required stage Raw material acquisition is neither modelled nor declared nil with a reason.",
            ]
        );
    }

    #[test]
    fn primary_data_titles_come_from_the_pcr_in_the_page_language() {
        let m = CheckMessage::new("primary-data.not-primary-in-stage")
            .arg("title.en", "Cell and pack plant electricity")
            .arg("title.zh-Hans", "电芯及电池包工厂用电")
            .arg("title.zh-Hant", "電芯及電池包工廠用電")
            .arg("stage", "production")
            .arg("inputs", "electricity/cn (pack)");
        assert_eq!(
            in_three(m),
            [
                "电芯及电池包工厂用电：“生产”阶段中匹配的输入未标为初级数据：electricity/cn (pack)",
                "電芯及電池包工廠用電：「生產」階段中相符的輸入未標為初級資料：electricity/cn (pack)",
                "Cell and pack plant electricity: the matching inputs in stage Production are not flagged primary: electricity/cn (pack)",
            ]
        );
    }

    #[test]
    fn unit_kinds_methods_and_unrecorded_dates() {
        let kind = CheckMessage::new("unit-kind.mismatch")
            .arg("kind", "declared")
            .arg("required_kind", "functional");
        assert_eq!(
            in_three(kind),
            [
                "模型采用声明单位；PCR 要求功能单位。",
                "模型採用聲明單位；PCR 要求功能單位。",
                "The model states a declared unit; the PCR requires a functional unit.",
            ]
        );
        let method = CheckMessage::new("allocation.not-economic")
            .arg("process", "smelter")
            .arg("method", "physical");
        assert_eq!(
            in_three(method)[0],
            "过程“smelter”按物理关系分配；PCR 要求按经济价值分配。"
        );
        // No recorded date: the catalog's "unrecorded", not an empty gap.
        let withdrawn = CheckMessage::new("adopted-standard.withdrawn")
            .arg("code", "ISO 14067:2018")
            .arg("list_version", "2");
        assert_eq!(
            in_three(withdrawn),
            [
                "ISO 14067:2018 已于 未记录的日期 废止。",
                "ISO 14067:2018 已於 未記錄的日期 廢止。",
                "ISO 14067:2018 was withdrawn on an unrecorded date.",
            ]
        );
    }

    #[test]
    fn a_value_with_braces_is_not_read_as_a_placeholder() {
        let m = CheckMessage::new("stage.declared-nil")
            .arg("stage", "use")
            .arg("reason", "passive product {stage}");
        assert_eq!(
            in_three(m)[2],
            "Use is declared nil: passive product {stage}"
        );
    }

    #[test]
    fn without_a_known_message_the_english_detail_is_flagged() {
        let tr = Tr::new(Lang::ZhHans);
        let english = ("the English detail".to_string(), false);
        assert_eq!(check_detail(&tr, &item(None)), english);
        let unknown = CheckMessage::new("no-such.message");
        assert_eq!(check_detail(&tr, &item(Some(unknown))), english);
        // A known sentence missing one of its values is not shown half-filled.
        let short = CheckMessage::new("category.mismatch").arg("category", "steel");
        assert_eq!(check_detail(&tr, &item(Some(short))), english);
    }

    /// Every message id the trust crate writes has a sentence here, found by reading
    /// its source, so a new finding cannot reach a page untranslated unnoticed.
    #[test]
    fn every_message_id_of_the_check_is_in_the_catalog() {
        let catalog = super::super::i18n::parse_catalog().expect("catalog");
        let source = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../trust/src/conformance.rs"),
        )
        .expect("the trust crate's conformance source");
        let mut ids = Vec::new();
        for pattern in ["CheckMessage::new(\"", "msg(\"", " => \""] {
            for (i, _) in source.match_indices(pattern) {
                let rest = &source[i + pattern.len()..];
                let id = &rest[..rest.find('"').unwrap_or(0)];
                if id.contains('.') && !id.contains(' ') {
                    ids.push(id.to_string());
                }
            }
        }
        // The primary-data items limited to a stage use the `-in-stage` sentences.
        for base in ["primary-data.no-match", "primary-data.not-primary"] {
            ids.push(format!("{base}-in-stage"));
        }
        assert!(ids.len() >= 40, "found only {} ids: {ids:?}", ids.len());
        let missing: Vec<_> = ids
            .iter()
            .filter(|id| !catalog.contains_key(&format!("check.msg.{id}")))
            .collect();
        assert!(missing.is_empty(), "ids without a sentence: {missing:?}");
    }

    /// Every value an enumeration argument can take has a phrase.
    #[test]
    fn every_enumeration_value_is_translated() {
        use zuji_model::LifeCycleStage;
        let tr = Tr::new(Lang::ZhHant);
        let mut values: Vec<(&str, &str)> = LifeCycleStage::ALL
            .iter()
            .map(|s| ("stage", s.as_str()))
            .collect();
        for b in [
            "cradle-to-gate",
            "cradle-to-grave",
            "gate-to-gate",
            "gate-to-grave",
        ] {
            values.push(("boundary", b));
        }
        for (name, v) in [
            ("kind", "declared"),
            ("kind", "functional"),
            ("approach", "cut-off"),
            ("approach", "avoided-burden"),
            ("method", "physical"),
            ("method", "economic"),
            ("method", "explicit"),
            ("method", "unspecified"),
        ] {
            values.push((name, v));
        }
        let untranslated: Vec<_> = values
            .iter()
            .filter(|(name, v)| enum_text(&tr, name, v).is_none())
            .collect();
        assert!(untranslated.is_empty(), "{untranslated:?}");
    }
}
