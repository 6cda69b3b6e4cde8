//! Every kind of bad input gets an error that names the place and the problem; none panics.

mod common;
use common::*;
use zuji_calc::CalcError;

fn err(body: &str) -> String {
    match footprint(&model(body)) {
        Ok(r) => panic!("expected an error, got a total of {}", r.total),
        Err(e) => e.to_string(),
    }
}

const P: &str =
    "[[process]]\nid = \"P\"\nstage = \"production\"\noutput = { amount = 1, unit = \"kg\" }\n";

#[test]
fn a_cyclic_parameter_is_named() {
    let e = err(&format!("[parameters]\na = \"b * 2\"\nb = \"a + 1\"\n{P}"));
    assert!(
        e.contains("parameters.a") && e.contains("cycle: a → b → a"),
        "{e}"
    );
}

#[test]
fn an_undefined_parameter_is_named() {
    let e = err(&format!(
        "{P}inputs = [ {{ dataset = \"steel\", amount = \"ghost * 2\", unit = \"kg\" }} ]\n"
    ));
    assert!(
        e.contains("process[0].inputs[0].amount") && e.contains("'ghost' is not defined"),
        "{e}"
    );
}

#[test]
fn an_unknown_dataset_is_named_with_the_databases_searched() {
    let e = err(&format!(
        "{P}inputs = [ {{ dataset = \"unobtainium\", amount = 1, unit = \"kg\" }} ]\n"
    ));
    assert!(
        e.contains("process[0].inputs[0].dataset")
            && e.contains("no background dataset 'unobtainium'"),
        "{e}"
    );
    assert!(e.contains("'testdb' 1"), "{e}");
}

#[test]
fn a_unit_that_cannot_convert_names_process_and_input() {
    let e = err(&format!(
        "{P}inputs = [ {{ dataset = \"electricity\", amount = 1, unit = \"kg\" }} ]\n"
    ));
    assert!(e.contains("process[0].inputs[0].unit"), "{e}");
    assert!(
        e.contains("process 'P'") && e.contains("cannot convert kg (mass) to kWh (energy)"),
        "{e}"
    );
}

#[test]
fn an_unknown_unit_is_named() {
    let e = err(&format!(
        "{P}inputs = [ {{ dataset = \"steel\", amount = 1, unit = \"stone\" }} ]\n"
    ));
    assert!(e.contains("unknown unit 'stone'"), "{e}");
}

#[test]
fn a_process_that_produces_nothing_is_named() {
    let body =
        "[[process]]\nid = \"P\"\nstage = \"production\"\noutput = { amount = 0, unit = \"kg\" }\n";
    let e = err(body);
    assert!(
        e.contains("process 'P' must produce a positive amount"),
        "{e}"
    );
}

#[test]
fn a_loop_that_consumes_all_it_makes_is_singular_and_names_the_processes() {
    // A needs 1 B per A, B needs 1 A per B: (I − loop) is singular.
    let body = r#"
[[process]]
id = "A"
stage = "production"
output = { amount = 1, unit = "kg" }
inputs = [ { process = "B", amount = 1, unit = "kg" } ]
[[process]]
id = "B"
stage = "production"
output = { amount = 1, unit = "kg" }
inputs = [ { process = "A", amount = 1, unit = "kg" } ]
"#;
    match footprint(&model(body)) {
        Err(CalcError::Singular { message, processes }) => {
            assert!(
                processes.iter().any(|p| p.contains("'A'"))
                    && processes.iter().any(|p| p.contains("'B'")),
                "{message}"
            );
        }
        other => panic!("expected a singular system, got {other:?}"),
    }
}

#[test]
fn a_process_consuming_its_whole_output_is_named() {
    let body = format!("{P}inputs = [ {{ process = \"P\", amount = 1, unit = \"kg\" }} ]\n");
    match footprint(&model(&body)) {
        Err(CalcError::Singular { message, processes }) => {
            assert_eq!(processes, vec!["process 'P'".to_string()], "{message}");
            assert!(message.contains("produce(s) nothing net"), "{message}");
        }
        other => panic!("expected a singular system, got {other:?}"),
    }
}

#[test]
fn an_unlinked_input_and_a_link_to_a_missing_process_are_named() {
    let e = err(&format!(
        "{P}inputs = [ {{ amount = 1, unit = \"kg\" }} ]\n"
    ));
    assert!(
        e.contains("process[0].inputs[0]")
            && e.contains("needs one of 'process', 'dataset' or 'supplier'"),
        "{e}"
    );
    let e = err(&format!(
        "{P}inputs = [ {{ process = \"nowhere\", amount = 1, unit = \"kg\" }} ]\n"
    ));
    assert!(e.contains("no process has the id 'nowhere'"), "{e}");
    let e = err(&format!(
        "{P}inputs = [ {{ process = \"P\", dataset = \"steel\", amount = 1, unit = \"kg\" }} ]\n"
    ));
    assert!(e.contains("exactly one"), "{e}");
}

#[test]
fn allocation_mistakes_are_named() {
    let e = err(r#"
[[process]]
id = "R"
stage = "production"
output = { amount = 1, unit = "kg" }
coproducts = [ { id = "by", amount = 1, unit = "kg" } ]
"#);
    assert!(
        e.contains("process[0].allocation") && e.contains("needs an allocation method"),
        "{e}"
    );
    let e = err(r#"
[[process]]
id = "R"
stage = "production"
allocation = "explicit"
output = { amount = 1, unit = "kg", allocation_factor = 0.7 }
coproducts = [ { id = "by", amount = 1, unit = "kg", allocation_factor = 0.2 } ]
"#);
    assert!(
        e.contains("sum to 0.8999999999999999, not 1") || e.contains("not 1"),
        "{e}"
    );
    let e = err(r#"
[[process]]
id = "R"
stage = "production"
allocation = "economic"
output = { amount = 1, unit = "kg", price = 2 }
coproducts = [ { id = "by", amount = 1, unit = "kg" } ]
"#);
    assert!(e.contains("process[0].coproducts[0].price"), "{e}");
    let e = err(r#"
[[process]]
id = "R"
stage = "production"
allocation = "physical"
output = { amount = 1, unit = "kg" }
coproducts = [ { id = "by", amount = 1, unit = "kWh" } ]
"#);
    assert!(e.contains("same dimension"), "{e}");
}

#[test]
fn an_avoided_credit_under_cut_off_is_refused() {
    let e = err(&format!(
        "{P}inputs = [ {{ dataset = \"aluminium\", amount = 1, unit = \"kg\", avoided = true }} ]\n"
    ));
    assert!(
        e.contains("process[0].inputs[0].avoided") && e.contains("avoided-burden"),
        "{e}"
    );
}

#[test]
fn bad_emissions_uncertainty_and_quality_are_named() {
    let e = err(&format!(
        "{P}emissions = [ {{ gas = \"CO2\", origin = \"fossil\", amount = 1, unit = \"kWh\" }} ]\n"
    ));
    assert!(
        e.contains("process[0].emissions[0].unit") && e.contains("mass of gas"),
        "{e}"
    );
    let e = err(&format!(
        "{P}inputs = [ {{ dataset = \"steel\", amount = 1, unit = \"kg\", quality = {{ TeR = 7, GeR = 1, TiR = 1, P = 1 }} }} ]\n"
    ));
    assert!(
        e.contains("process[0].inputs[0].quality") && e.contains("TeR"),
        "{e}"
    );
    let e = err(&format!(
        "[parameters]\nx = {{ value = 1, uncertainty = {{ type = \"lognormal\", gsd = 0.5 }} }}\n{P}"
    ));
    assert!(
        e.contains("parameters.x.uncertainty") && e.contains("gsd must be ≥ 1"),
        "{e}"
    );
}

#[test]
fn a_gas_without_a_gwp_in_the_method_is_named() {
    let e = err(&format!(
        "{P}emissions = [ {{ gas = \"SF6\", origin = \"fossil\", amount = 1, unit = \"g\" }} ]\n"
    ));
    assert!(e.contains("process 'P' emits SF6, which has no GWP"), "{e}");
}

#[test]
fn product_identity_is_checked() {
    let header = HEADER.replace(
        "name = { zh = \"测试\", en = \"test\" }",
        "name = { en = \"test\" }\ngtin = \"4006381333932\"",
    );
    let m = model_with_header(&header, P);
    let e = footprint(&m).unwrap_err().to_string();
    assert!(
        e.contains("product.name.zh") && e.contains("product.gtin") && e.contains("expected 1"),
        "{e}"
    );
}

#[test]
fn input_and_emission_uncertainties_are_checked() {
    // Found by the examples work: these used to pass validation and wreck Monte Carlo.
    let e = err(&format!(
        "{P}inputs = [ {{ dataset = \"steel\", amount = 1, unit = \"kg\", uncertainty = {{ type = \"uniform\", min = 5, max = 1 }} }} ]\n"
    ));
    assert!(
        e.contains("process[0].inputs[0].uncertainty") && e.contains("min < max"),
        "{e}"
    );
    let e = err(&format!(
        "{P}emissions = [ {{ gas = \"CO2\", origin = \"fossil\", amount = 1, unit = \"kg\", uncertainty = {{ type = \"normal\", sd = -1 }} }} ]\n"
    ));
    assert!(
        e.contains("process[0].emissions[0].uncertainty") && e.contains("sd must be ≥ 0"),
        "{e}"
    );
    let e = err(&format!(
        "{P}inputs = [ {{ dataset = \"steel\", amount = 3, unit = \"kg\", uncertainty = {{ type = \"uniform\", min = 1, max = 2 }} }} ]\n"
    ));
    assert!(
        e.contains("the amount 3 lies outside its uncertainty range 1 … 2"),
        "{e}"
    );
}

#[test]
fn every_undefined_parameter_is_reported_at_once() {
    let e = err(&format!(
        "[parameters]\na = \"ghost + 1\"\nb = \"phantom * 2\"\n{P}"
    ));
    assert!(e.contains("'ghost'") && e.contains("'phantom'"), "{e}");
}
