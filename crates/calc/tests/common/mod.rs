//! Small background databases and model builders for the engine's tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use zuji_calc::CalcError;
use zuji_calc::footprint::{FootprintOptions, FootprintResult, compute_footprint};
use zuji_model::gwp::{GwpTable, GwpValue, GwpVariant};
use zuji_model::lci::*;
use zuji_model::product::ProductModel;
use zuji_model::{Gas, Origin, Uncertainty};

/// IPCC AR6 GWP100 values used by the tests (AR6 WGI Table 7.15): CO2 1, CH4 fossil 29.8,
/// CH4 non-fossil 27.0, N2O 273.
pub fn ar6() -> GwpTable {
    let mut values = BTreeMap::new();
    let mut put = |g: Gas, v: GwpVariant, x: f64| {
        values.insert(
            (g, v),
            GwpValue {
                value: x,
                source: "IPCC AR6 WGI Table 7.15".into(),
                status: None,
            },
        );
    };
    put(Gas::Co2, GwpVariant::Unsplit, 1.0);
    put(Gas::Ch4, GwpVariant::Fossil, 29.8);
    put(Gas::Ch4, GwpVariant::NonFossil, 27.0);
    put(Gas::Ch4, GwpVariant::Unsplit, 27.9);
    put(Gas::N2o, GwpVariant::Unsplit, 273.0);
    GwpTable {
        id: "ar6".into(),
        name: "IPCC AR6 GWP100".into(),
        year: 2021,
        values,
    }
}

/// One system process of a test database: (id, unit, [(flow id, amount)]).
pub type TestActivity<'a> = (&'a str, &'a str, &'a [(&'a str, f64)]);

/// A test database of system processes. Flows: co2 (fossil), ch4 (fossil), co2e (aggregated).
pub fn db(entries: &[TestActivity]) -> LciDatabase {
    let flows = vec![
        ElementaryFlow {
            id: "co2".into(),
            name: "carbon dioxide, fossil".into(),
            compartment: "air".into(),
            unit: "kg".into(),
            gas: Some(Gas::Co2),
            origin: Some(Origin::Fossil),
        },
        ElementaryFlow {
            id: "ch4".into(),
            name: "methane, fossil".into(),
            compartment: "air".into(),
            unit: "kg".into(),
            gas: Some(Gas::Ch4),
            origin: Some(Origin::Fossil),
        },
        ElementaryFlow {
            id: "co2e".into(),
            name: "GHG, aggregated".into(),
            compartment: "air".into(),
            unit: "kg".into(),
            gas: Some(Gas::Co2e),
            origin: Some(Origin::Unspecified),
        },
    ];
    let mut activities = Vec::new();
    let mut exchanges = Vec::new();
    for (i, (id, unit, ems)) in entries.iter().enumerate() {
        activities.push(Activity {
            id: id.to_string(),
            name: id.to_string(),
            unit: unit.to_string(),
            location: "GLO".into(),
            ..Default::default()
        });
        exchanges.push(Exchange {
            activity: i,
            kind: ExchangeKind::Production,
            input: i,
            amount: 1.0,
            uncertainty: Uncertainty::None,
        });
        for (flow, amount) in ems.iter() {
            let f = flows.iter().position(|x| x.id == *flow).expect("test flow");
            exchanges.push(Exchange {
                activity: i,
                kind: ExchangeKind::Biosphere,
                input: f,
                amount: *amount,
                uncertainty: Uncertainty::None,
            });
        }
    }
    let meta = DatabaseMeta {
        id: "testdb".into(),
        version: "1".into(),
        name: "test".into(),
        ..Default::default()
    };
    LciDatabase::new(meta, activities, flows, exchanges, vec![]).expect("valid test db")
}

/// The standard test background: electricity 0.5 kg CO2/kWh; heat 0.07 kg CO2 and
/// 0.001 kg CH4 per MJ; steel 2 kg CO2e/kg; truck 0.1 kg CO2/t·km; air 1 kg CO2/t·km;
/// aluminium 15.1 kg CO2e/kg.
pub fn background() -> Vec<LciDatabase> {
    vec![db(&[
        ("electricity", "kWh", &[("co2", 0.5)]),
        ("heat", "MJ", &[("co2", 0.07), ("ch4", 0.001)]),
        ("steel", "kg", &[("co2e", 2.0)]),
        ("truck", "t*km", &[("co2", 0.1)]),
        ("air-freight", "t*km", &[("co2", 1.0)]),
        ("aluminium", "kg", &[("co2e", 15.1)]),
    ])]
}

pub const HEADER: &str = r#"
[product]
name = { zh = "测试", en = "test" }
category = "test"
declared_unit = { amount = 1, unit = "kg" }
boundary = "cradle-to-gate"
reference_period = "2025"
geography = "CN"
"#;

pub fn model(body: &str) -> ProductModel {
    model_with_header(HEADER, body)
}

pub fn model_with_header(header: &str, body: &str) -> ProductModel {
    let text = format!("{header}\n{body}");
    toml::from_str(&text).unwrap_or_else(|e| panic!("test model does not parse: {e}\n{text}"))
}

pub fn footprint(m: &ProductModel) -> Result<FootprintResult, CalcError> {
    compute_footprint(m, &background(), &ar6(), &FootprintOptions::default(), None)
}

pub fn assert_close(got: f64, want: f64, what: &str) {
    let tol = 1e-12 * want.abs().max(1.0);
    assert!((got - want).abs() <= tol, "{what}: got {got}, want {want}");
}
