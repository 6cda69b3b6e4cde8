//! Product category rules and the adopted-standards list: the shipped data loads and
//! validates, errors name the file and field, and illegal list changes are refused.

use zuji_model::product::ProductModel;
use zuji_trust::pcr::{
    AdoptedStandard, AdoptedStandardsList, AdoptionStatus, BUNDLED_PCR_FILES, ListChange,
    ListError, Pcr, PcrError, PcrStatus, StandardRole, Title, ZUJI_DRAFT,
    bundled_adopted_standards, bundled_pcr, bundled_pcrs, check_date, pattern_matches,
};

const EXAMPLES: &[(&str, &str)] = &[
    (
        "lfp-battery-pack",
        include_str!("../../../examples/lfp-battery-pack.toml"),
    ),
    (
        "pv-module",
        include_str!("../../../examples/pv-module.toml"),
    ),
    (
        "cotton-tshirt",
        include_str!("../../../examples/cotton-tshirt.toml"),
    ),
    (
        "hot-rolled-steel-coil",
        include_str!("../../../examples/hot-rolled-steel-coil.toml"),
    ),
    (
        "aluminium-extrusion",
        include_str!("../../../examples/aluminium-extrusion.toml"),
    ),
];

fn battery_text() -> &'static str {
    BUNDLED_PCR_FILES
        .iter()
        .find(|(n, _)| *n == "battery-pack.toml")
        .unwrap()
        .1
}

#[test]
fn every_bundled_pcr_loads_and_validates() {
    let pcrs = bundled_pcrs().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pcrs.len(), 5);
    for p in &pcrs {
        assert!(p.validate().is_empty(), "{}: {:?}", p.id, p.validate());
        // Nothing shipped has been checked against a standard's full text yet.
        assert_eq!(p.status, PcrStatus::Draft, "{}", p.id);
        assert!(
            !p.title.zh_hans.is_empty() && !p.title.zh_hant.is_empty() && !p.title.en.is_empty()
        );
    }
    let mut ids: Vec<_> = pcrs.iter().map(|p| p.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5, "PCR ids are unique");
}

#[test]
fn only_the_pv_pcr_follows_a_published_standard() {
    for p in bundled_pcrs().unwrap() {
        if p.category.id == "pv-module" {
            assert_eq!(p.basis, "T/GDCPA 013—2023");
            assert!(
                p.standards
                    .iter()
                    .any(|s| s.code == p.basis && s.role == StandardRole::Normative)
            );
        } else {
            assert_eq!(p.basis, ZUJI_DRAFT, "{}", p.id);
        }
    }
}

#[test]
fn every_example_model_has_exactly_one_bundled_pcr_for_its_category() {
    let pcrs = bundled_pcrs().unwrap();
    for (name, text) in EXAMPLES {
        let model: ProductModel = toml::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let matching: Vec<_> = pcrs
            .iter()
            .filter(|p| p.category.id == model.product.category)
            .collect();
        assert_eq!(
            matching.len(),
            1,
            "{name}: category {}",
            model.product.category
        );
        // The model cites the PCR by id, or (PV) the standard it follows.
        let cited = model.product.pcr.as_deref().unwrap();
        assert!(
            cited == matching[0].id || cited == matching[0].basis,
            "{name} cites {cited}"
        );
    }
}

#[test]
fn bundled_pcr_finds_by_id() {
    let p = bundled_pcr("zuji:pcr:steel-hot-rolled-coil:draft")
        .unwrap()
        .unwrap();
    assert_eq!(p.declared_unit.unit, "t");
    assert!(bundled_pcr("zuji:pcr:nothing").unwrap().is_none());
}

#[test]
fn invalid_fields_are_named_with_the_file() {
    let text = battery_text().replace("per_flow = 0.01", "per_flow = 0.2");
    let err = Pcr::from_toml(&text, "pcrs/bad.toml").unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("pcrs/bad.toml: invalid PCR"), "{msg}");
    assert!(msg.contains("field `cut_off.per_flow`"), "{msg}");
    assert!(msg.contains("exceeds the total threshold 0.05"), "{msg}");

    // A published PCR cannot rest on a Zuji draft.
    let text = battery_text().replace("status = \"draft\"", "status = \"published\"");
    let msg = Pcr::from_toml(&text, "x.toml").unwrap_err().to_string();
    assert!(msg.contains("field `status`"), "{msg}");

    // A cradle-to-gate PCR cannot require the use stage.
    let text = battery_text().replace(
        "required_stages = [\"raw-material-acquisition\", \"production\"]",
        "required_stages = [\"raw-material-acquisition\", \"production\", \"use\"]",
    );
    let msg = Pcr::from_toml(&text, "x.toml").unwrap_err().to_string();
    assert!(
        msg.contains("field `required_stages[2]`: use lies outside"),
        "{msg}"
    );

    // Bad classification code and bad unit, both reported at once.
    let text = battery_text()
        .replace("code = \"8507.60\"", "code = \"85A7\"")
        .replace("unit = \"kWh\"", "unit = \"furlong\"");
    let err = Pcr::from_toml(&text, "x.toml").unwrap_err();
    let PcrError::Invalid { problems, .. } = &err else {
        panic!("{err}")
    };
    let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
    assert!(
        fields.contains(&"category.classification[0].code"),
        "{fields:?}"
    );
    assert!(fields.contains(&"declared_unit.unit"), "{fields:?}");
}

#[test]
fn unknown_and_missing_fields_are_parse_errors_naming_the_file() {
    let text = battery_text().replace(
        "basis = \"Zuji draft\"",
        "basis = \"Zuji draft\"\nbasiss = 1",
    );
    let err = Pcr::from_toml(&text, "pcrs/typo.toml").unwrap_err();
    assert!(matches!(err, PcrError::Parse { .. }));
    let msg = err.to_string();
    assert!(
        msg.starts_with("pcrs/typo.toml: cannot read the PCR"),
        "{msg}"
    );
    assert!(msg.contains("basiss"), "{msg}");

    let text = battery_text().replace("zh-Hant = \"鋰離子電池包產品碳足跡核算規則(草案)\", ", "");
    let msg = Pcr::from_toml(&text, "pcrs/title.toml")
        .unwrap_err()
        .to_string();
    assert!(msg.contains("zh-Hant"), "{msg}");
}

#[test]
fn grade_bands_must_end_unbounded() {
    let text = battery_text().replace(
        "{ grade = \"E\" }",
        "{ grade = \"E\", at_most = { of = \"default\", factor = 2.0 } }",
    );
    let msg = Pcr::from_toml(&text, "x.toml").unwrap_err().to_string();
    assert!(msg.contains("field `grades.bands[4].at_most`"), "{msg}");
}

#[test]
fn patterns_match_whole_segments() {
    assert!(pattern_matches(
        "electricity",
        "electricity/cn/national/2023/footprint"
    ));
    assert!(pattern_matches(
        "electricity",
        "zuji-default/electricity/CN-South/2023"
    ));
    assert!(pattern_matches(
        "Electricity/CN",
        "electricity/cn/national/2023/footprint"
    ));
    assert!(pattern_matches(
        "fuel/*/combustion",
        "fuel/natural-gas/combustion/ipcc2006/per-mj"
    ));
    assert!(pattern_matches("supplier", "supplier/urn:uuid:6f0c"));
    assert!(!pattern_matches("electricity", "electricity-mix/cn"));
    assert!(!pattern_matches("cn/electricity", "electricity/cn"));
    assert!(!pattern_matches("a/b/c", "a/b"));
}

#[test]
fn dates_are_checked_with_leap_years() {
    assert!(check_date("2024-02-29").is_ok());
    assert!(check_date("2000-02-29").is_ok());
    assert!(check_date("1900-02-29").is_err());
    assert!(check_date("2025-02-29").is_err());
    assert!(check_date("2025-04-31").is_err());
    assert!(check_date("2025-13-01").is_err());
    assert!(check_date("2025-1-01").is_err());
    assert!(check_date("２025-01-01").is_err());
}

fn entry(code: &str, on: &str) -> AdoptedStandard {
    AdoptedStandard {
        code: code.into(),
        title: Title {
            zh_hans: "测试标准".into(),
            zh_hant: "測試標準".into(),
            en: "Test standard".into(),
        },
        issuer: "test issuer".into(),
        status: AdoptionStatus::Adopted,
        adopted_on: on.into(),
        superseded_on: None,
        superseded_by: None,
        withdrawn_on: None,
        source: "test fixture".into(),
    }
}

#[test]
fn bundled_adopted_standards_list_loads_and_covers_the_pcrs_normative_standards() {
    let list = bundled_adopted_standards().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(list.version, 1);
    for p in bundled_pcrs().unwrap() {
        for s in p
            .standards
            .iter()
            .filter(|s| s.role == StandardRole::Normative)
        {
            assert!(list.is_adopted(&s.code), "{}: {} not adopted", p.id, s.code);
        }
    }
}

#[test]
fn publishing_applies_changes_and_bumps_the_version() {
    let v1 = bundled_adopted_standards().unwrap();
    let v2 = v1
        .publish(
            "2027-01-15",
            &[
                ListChange::Adopt(entry("T/TEST 1—2027", "2027-01-10")),
                ListChange::Supersede {
                    code: "T/GDCPA 013—2023".into(),
                    by: "T/TEST 1—2027".into(),
                    on: "2027-01-15".into(),
                },
            ],
        )
        .unwrap();
    assert_eq!(v2.version, 2);
    assert_eq!(v2.published, "2027-01-15");
    let old = v2.entry("T/GDCPA 013—2023").unwrap();
    assert_eq!(old.status, AdoptionStatus::Superseded);
    assert_eq!(old.superseded_by.as_deref(), Some("T/TEST 1—2027"));
    assert_eq!(old.superseded_on.as_deref(), Some("2027-01-15"));
    assert!(v2.is_adopted("T/TEST 1—2027"));
    assert!(!v2.is_adopted("T/GDCPA 013—2023"));
    assert_eq!(v1.version, 1, "the old version is untouched");

    let v3 = v2
        .publish(
            "2027-06-01",
            &[ListChange::Withdraw {
                code: "T/GDCPA 013—2023".into(),
                on: "2027-05-31".into(),
            }],
        )
        .unwrap();
    assert_eq!(v3.version, 3);
    assert_eq!(
        v3.entry("T/GDCPA 013—2023").unwrap().status,
        AdoptionStatus::Withdrawn
    );
    // Round trip through TOML keeps the list valid.
    let text = toml::to_string(&v3).unwrap();
    assert_eq!(
        AdoptedStandardsList::from_toml(&text, "v3.toml").unwrap(),
        v3
    );
}

#[test]
fn illegal_changes_are_refused_with_the_reason() {
    let v1 = bundled_adopted_standards().unwrap();
    let refuse = |published: &str, changes: Vec<ListChange>| {
        v1.publish(published, &changes).unwrap_err().to_string()
    };
    let e = refuse(
        "2027-01-01",
        vec![ListChange::Withdraw {
            code: "GB/T 99999".into(),
            on: "2027-01-01".into(),
        }],
    );
    assert_eq!(
        e,
        "publishing version 2 of the adopted-standards list: change 0: cannot withdraw 'GB/T 99999': not on the list"
    );
    let e = refuse(
        "2027-01-01",
        vec![ListChange::Adopt(entry("GB/T 24067-2024", "2027-01-01"))],
    );
    assert!(
        e.contains("'GB/T 24067-2024' is already on the list"),
        "{e}"
    );
    let e = refuse(
        "2027-01-01",
        vec![ListChange::Supersede {
            code: "ISO 14067:2018".into(),
            by: "ISO 14067:2030".into(),
            on: "2027-01-01".into(),
        }],
    );
    assert!(
        e.contains("successor 'ISO 14067:2030' must be on the list"),
        "{e}"
    );
    let e = refuse(
        "2027-01-01",
        vec![ListChange::Supersede {
            code: "ISO 14067:2018".into(),
            by: "ISO 14067:2018".into(),
            on: "2027-01-01".into(),
        }],
    );
    assert!(e.contains("cannot supersede itself"), "{e}");
    let e = refuse("2027-01-01", vec![]);
    assert!(e.ends_with("no changes to publish"), "{e}");
    let e = refuse(
        "2026-01-01",
        vec![ListChange::Adopt(entry("T/TEST 2", "2026-01-01"))],
    );
    assert!(e.contains("before version 1's 2026-11-21"), "{e}");
    // A change dated after the publication it appears in.
    let e = refuse(
        "2027-01-01",
        vec![ListChange::Withdraw {
            code: "ISO 14067:2018".into(),
            on: "2027-02-01".into(),
        }],
    );
    assert!(
        e.contains("change 0: date 2027-02-01 is after the publication date 2027-01-01"),
        "{e}"
    );
    // Withdrawing twice: the second change in one publication is refused.
    let err = v1
        .publish(
            "2027-01-01",
            &[
                ListChange::Withdraw {
                    code: "ISO 14067:2018".into(),
                    on: "2027-01-01".into(),
                },
                ListChange::Withdraw {
                    code: "ISO 14067:2018".into(),
                    on: "2027-01-01".into(),
                },
            ],
        )
        .unwrap_err();
    assert!(
        matches!(err, ListError::IllegalChange { index: 1, .. }),
        "{err}"
    );
    // Superseding a withdrawn entry.
    let v2 = v1
        .publish(
            "2027-01-01",
            &[ListChange::Withdraw {
                code: "ISO 14067:2018".into(),
                on: "2027-01-01".into(),
            }],
        )
        .unwrap();
    let e = v2
        .publish(
            "2027-02-01",
            &[ListChange::Supersede {
                code: "ISO 14067:2018".into(),
                by: "GB/T 24067-2024".into(),
                on: "2027-02-01".into(),
            }],
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("cannot supersede 'ISO 14067:2018'"), "{e}");
}

#[test]
fn an_inconsistent_list_file_names_the_entry_and_field() {
    let text = r#"
version = 1
published = "2026-01-01"
operator = "test"

[[entry]]
code = "A"
title = { zh-Hans = "甲", zh-Hant = "甲", en = "A" }
issuer = "x"
status = "superseded"
adopted_on = "2025-01-01"
superseded_on = "2025-06-01"
superseded_by = "B"
source = "test"
"#;
    let msg = AdoptedStandardsList::from_toml(text, "list.toml")
        .unwrap_err()
        .to_string();
    assert!(
        msg.starts_with("list.toml: invalid adopted-standards list"),
        "{msg}"
    );
    assert!(
        msg.contains("field `entry[0].superseded_by`: 'B' is not on the list"),
        "{msg}"
    );
}
