//! The report as a sequence of blocks — headings, fields, tables, charts — built once
//! from the data and the language, then laid out by the HTML and the PDF writers alike,
//! so both say the same thing in the same order.
//!
//! Section order follows ISO 14067:2018 §7.2/§7.3 (and GB/T 24067-2024 §7): summary,
//! goal, scope, data, method, results with every separately reported part,
//! interpretation, PCR conformance, traceability.

use crate::chart::{Bar, horizontal_bar_chart, stage_chart};
use crate::model::*;
use crate::number::{format_count, format_date, format_share, format_value};
use crate::strings::{Lang, Strings, fill};
use zuji_model::product::{LocalisedName, UnitKind};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    /// The document title, the product, and a line naming the standards.
    Title {
        title: String,
        product: String,
        subtitle: String,
    },
    /// The headline figure.
    Headline {
        label: String,
        value: String,
        unit: String,
    },
    /// Level 2 (section) or 3 (subsection).
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(String),
    /// Smaller, muted text.
    Note(String),
    List(Vec<String>),
    /// Caption and value pairs.
    Fields(Vec<(String, String)>),
    Table(Table),
    Chart {
        svg: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// A totals row, set apart.
    pub footer: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Column {
    pub header: String,
    /// Relative width.
    pub weight: f32,
    /// Right-aligned.
    pub numeric: bool,
}

fn col(header: &str, weight: f32, numeric: bool) -> Column {
    Column {
        header: header.to_string(),
        weight,
        numeric,
    }
}

/// The product's name in `lang`, falling back to the other names.
pub(crate) fn product_name(name: &LocalisedName, lang: Lang) -> String {
    fn pick(o: &Option<String>) -> Option<&str> {
        o.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    let order = match lang {
        Lang::ZhHans => [pick(&name.zh), pick(&name.zh_hant), pick(&name.en)],
        Lang::ZhHant => [pick(&name.zh_hant), pick(&name.zh), pick(&name.en)],
        Lang::En => [pick(&name.en), pick(&name.zh), pick(&name.zh_hant)],
    };
    order
        .into_iter()
        .flatten()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Every distinct name, the report's language first: `磷酸铁锂动力电池包 / LFP battery pack`.
fn all_names(name: &LocalisedName, lang: Lang) -> String {
    let first = product_name(name, lang);
    let mut names = vec![first.clone()];
    for other in [&name.zh, &name.zh_hant, &name.en].into_iter().flatten() {
        let other = other.trim();
        if !other.is_empty() && !names.iter().any(|n| n == other) {
            names.push(other.to_string());
        }
    }
    names.join(" / ")
}

/// `1 kWh`.
fn unit_text(amount: f64, unit: &str, lang: Lang) -> String {
    format!("{} {}", format_value(amount, lang), unit.trim())
}

struct Builder {
    s: &'static Strings,
    lang: Lang,
    blocks: Vec<Block>,
    section: usize,
    subsection: usize,
}

impl Builder {
    fn section(&mut self, title: &str) {
        self.section += 1;
        self.subsection = 0;
        self.blocks.push(Block::Heading {
            level: 2,
            text: format!("{} {title}", self.section),
        });
    }

    fn subsection(&mut self, title: &str) {
        self.subsection += 1;
        self.blocks.push(Block::Heading {
            level: 3,
            text: format!("{}.{} {title}", self.section, self.subsection),
        });
    }

    fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    /// The text, or "not reported" when missing or blank.
    fn or_nr(&self, value: Option<&str>) -> String {
        value
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .unwrap_or(self.s.not_reported)
            .to_string()
    }

    fn value(&self, v: f64) -> String {
        format_value(v, self.lang)
    }

    fn share(&self, v: f64) -> String {
        format_share(v, self.lang)
    }

    fn opt_share(&self, v: Option<f64>) -> String {
        v.map(|v| self.share(v))
            .unwrap_or_else(|| self.s.not_reported.to_string())
    }

    fn opt_value(&self, v: Option<f64>) -> String {
        v.map(|v| self.value(v))
            .unwrap_or_else(|| self.s.not_reported.to_string())
    }

    fn list_or_nr(&mut self, items: &[String]) {
        let items: Vec<String> = items
            .iter()
            .map(|i| i.trim().to_string())
            .filter(|i| !i.is_empty())
            .collect();
        if items.is_empty() {
            self.push(Block::Paragraph(self.s.not_reported.to_string()));
        } else {
            self.push(Block::List(items));
        }
    }
}

/// The study report's blocks in `lang`.
pub(crate) fn study_blocks(r: &StudyReport, lang: Lang) -> Vec<Block> {
    let s = lang.strings();
    let mut b = Builder {
        s,
        lang,
        blocks: Vec::new(),
        section: 0,
        subsection: 0,
    };
    let unit = unit_text(r.scope.unit.amount, &r.scope.unit.unit, lang);
    let per_unit = fill(s.per_unit, &[("unit", &unit)]);
    let unit_caption = match r.scope.unit.kind {
        UnitKind::Functional => s.functional_unit,
        UnitKind::Declared => s.declared_unit,
    };
    let pcr_text = r.pcr.as_ref().map(|p| match &p.version {
        Some(v) => format!("{} v{}", p.id, v),
        None => p.id.clone(),
    });
    let date = r.provenance.computed_at_ms.map(format_date);

    b.push(Block::Title {
        title: s.report_title.to_string(),
        product: product_name(&r.product.name, lang),
        subtitle: s.standards_line.to_string(),
    });

    // 1 Summary.
    b.section(s.sec_summary);
    b.push(Block::Headline {
        label: s.carbon_footprint.to_string(),
        value: b.value(r.results.total),
        unit: per_unit.clone(),
    });
    let mut summary = vec![
        (s.product_name.into(), all_names(&r.product.name, lang)),
        (s.product_id.into(), b.or_nr(r.product.id.as_deref())),
        (s.category.into(), b.or_nr(Some(&r.product.category))),
        (
            s.description.into(),
            b.or_nr(r.product.description.as_deref()),
        ),
        (unit_caption.into(), unit.clone()),
        (
            s.system_boundary.into(),
            s.boundary(r.scope.boundary).into(),
        ),
        (
            s.reference_period.into(),
            b.or_nr(Some(&r.scope.reference_period)),
        ),
        (s.geography.into(), b.or_nr(Some(&r.scope.geography))),
        (
            s.organisation.into(),
            b.or_nr(r.provenance.organisation.as_deref()),
        ),
        (
            s.footprint_id.into(),
            b.or_nr(r.provenance.footprint_id.as_deref()),
        ),
        (s.computed_at.into(), b.or_nr(date.as_deref())),
        (
            s.pcr.into(),
            pcr_text.clone().unwrap_or_else(|| s.none.to_string()),
        ),
        (
            s.primary_data_share.into(),
            b.opt_share(r.data.primary_data_share),
        ),
    ];
    if let Some(gtin) = r.product.gtin.as_deref().filter(|g| !g.trim().is_empty()) {
        summary.insert(2, (s.gtin.into(), gtin.to_string()));
    }
    b.push(Block::Fields(summary));

    // 2 Goal.
    b.section(s.sec_goal);
    b.push(Block::Fields(vec![
        (
            s.intended_application.into(),
            b.or_nr(r.goal.intended_application.as_deref()),
        ),
        (s.reasons.into(), b.or_nr(r.goal.reasons.as_deref())),
        (
            s.intended_audience.into(),
            b.or_nr(r.goal.intended_audience.as_deref()),
        ),
        (
            s.public_communication.into(),
            r.goal
                .public_communication
                .map(|p| s.yes_no(p).to_string())
                .unwrap_or_else(|| s.not_reported.to_string()),
        ),
    ]));

    // 3 Scope.
    b.section(s.sec_scope);
    let stages_in: Vec<&str> = r
        .scope
        .stages_included
        .iter()
        .map(|st| s.stage(*st))
        .collect();
    let stages_out: Vec<String> = r
        .scope
        .stages_excluded
        .iter()
        .map(
            |e| match e.reason.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
                Some(reason) if lang == Lang::En => format!("{} ({reason})", s.stage(e.stage)),
                Some(reason) => format!("{}（{reason}）", s.stage(e.stage)),
                None => s.stage(e.stage).to_string(),
            },
        )
        .collect();
    let join = |items: Vec<String>| {
        if items.is_empty() {
            s.none.to_string()
        } else {
            items.join(s.list_separator)
        }
    };
    let cut = r.scope.cut_off.clone().unwrap_or_default();
    b.push(Block::Fields(vec![
        (unit_caption.into(), unit.clone()),
        (
            s.unit_description.into(),
            b.or_nr(r.scope.unit.description.as_deref()),
        ),
        (
            s.reference_flow.into(),
            b.or_nr(r.scope.reference_flow.as_deref()),
        ),
        (
            s.system_boundary.into(),
            s.boundary(r.scope.boundary).into(),
        ),
        (
            s.stages_included.into(),
            join(stages_in.iter().map(|x| x.to_string()).collect()),
        ),
        (s.stages_excluded.into(), join(stages_out)),
        (s.cut_off.into(), b.or_nr(cut.criteria.as_deref())),
        (s.cut_off_per_flow.into(), b.opt_share(cut.per_flow_limit)),
        (s.cut_off_total.into(), b.opt_share(cut.total_limit)),
        (s.cut_off_excluded.into(), b.opt_share(cut.excluded_share)),
        (
            s.reference_period.into(),
            b.or_nr(Some(&r.scope.reference_period)),
        ),
        (s.geography.into(), b.or_nr(Some(&r.scope.geography))),
    ]));
    b.subsection(s.unit_processes);
    if r.scope.processes.is_empty() {
        b.push(Block::Paragraph(s.not_reported.into()));
    } else {
        let rows = r
            .scope
            .processes
            .iter()
            .map(|p| {
                let name = match p.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                    Some(n) if n != p.id => format!("{n}\n{}", p.id),
                    _ => p.id.clone(),
                };
                vec![
                    name,
                    s.stage(p.stage).into(),
                    b.or_nr(p.location.as_deref()),
                    p.primary
                        .map(|x| if x { s.primary_data } else { s.secondary_data }.to_string())
                        .unwrap_or_else(|| s.not_reported.into()),
                    b.or_nr(p.source.as_deref()),
                ]
            })
            .collect();
        b.push(Block::Table(Table {
            columns: vec![
                col(s.col_process, 2.2, false),
                col(s.col_stage, 1.2, false),
                col(s.col_location, 0.8, false),
                col(s.col_data_type, 0.9, false),
                col(s.col_source, 3.6, false),
            ],
            rows,
            footer: None,
        }));
    }

    // 4 Data.
    b.section(s.sec_data);
    b.push(Block::Fields(vec![(
        s.primary_data_share.into(),
        b.opt_share(r.data.primary_data_share),
    )]));
    b.subsection(s.databases);
    if r.data.databases.is_empty() {
        b.push(Block::Paragraph(s.not_reported.into()));
    } else {
        let rows = r
            .data
            .databases
            .iter()
            .map(|d| {
                vec![
                    d.name.clone(),
                    b.or_nr(d.version.as_deref()),
                    b.or_nr(d.licence.as_deref()),
                    b.or_nr(d.sha256.as_deref()),
                ]
            })
            .collect();
        b.push(Block::Table(Table {
            columns: vec![
                col(s.col_name, 1.6, false),
                col(s.col_version, 0.8, false),
                col(s.col_licence, 2.4, false),
                col(s.col_sha256, 2.4, false),
            ],
            rows,
            footer: None,
        }));
    }
    b.subsection(s.suppliers);
    if r.data.suppliers.is_empty() {
        b.push(Block::Paragraph(s.none.into()));
    } else {
        let rows = r
            .data
            .suppliers
            .iter()
            .map(|x| {
                let name = match x.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                    Some(n) => format!("{n}\n{}", x.id),
                    None => x.id.clone(),
                };
                vec![
                    name,
                    b.value(x.pcf),
                    x.unit.clone(),
                    b.opt_share(x.primary_data_share),
                    b.or_nr(x.source.as_deref()),
                ]
            })
            .collect();
        b.push(Block::Table(Table {
            columns: vec![
                col(s.col_supplier, 2.2, false),
                col(s.col_pcf, 1.1, true),
                col(s.col_unit, 0.6, false),
                col(s.primary_data_share, 1.0, true),
                col(s.col_source, 3.0, false),
            ],
            rows,
            footer: None,
        }));
    }
    b.subsection(s.data_sources);
    b.list_or_nr(&r.data.sources);
    b.subsection(s.data_quality);
    let q = r.data.quality.clone().unwrap_or_default();
    b.push(Block::Fields(vec![
        (
            s.dqr.into(),
            q.rating
                .map(|v| format!("{v:.2}"))
                .unwrap_or_else(|| s.not_reported.into()),
        ),
        (s.dqr_level.into(), b.or_nr(q.level.as_deref())),
        (s.dqr_coverage.into(), b.opt_share(q.coverage)),
    ]));
    b.push(Block::Note(s.dqr_note.into()));

    // 5 Method.
    b.section(s.sec_method);
    let allocation = if r.method.allocation.is_empty() {
        s.allocation_none.to_string()
    } else {
        r.method
            .allocation
            .iter()
            .map(|a| {
                fill(
                    s.allocation_entry,
                    &[
                        ("process", &a.process),
                        ("method", s.allocation_method(a.method)),
                        ("n", &a.products.to_string()),
                    ],
                )
            })
            .collect::<Vec<_>>()
            .join(s.list_separator)
    };
    let electricity = r.method.electricity.clone().unwrap_or_default();
    b.push(Block::Fields(vec![
        (s.gwp_method.into(), b.or_nr(Some(&r.method.gwp_method))),
        (s.allocation.into(), allocation),
        (
            s.electricity_approach.into(),
            electricity
                .approach
                .map(|a| s.electricity_approach(a).to_string())
                .unwrap_or_else(|| s.not_reported.into()),
        ),
        (
            s.residual_mix.into(),
            electricity
                .residual_mix
                .map(|x| s.yes_no(x).to_string())
                .unwrap_or_else(|| s.not_reported.into()),
        ),
        (
            s.electricity_datasets.into(),
            if electricity.datasets.is_empty() {
                s.not_reported.to_string()
            } else {
                electricity.datasets.join("\n")
            },
        ),
        (s.electricity.into(), b.or_nr(electricity.note.as_deref())),
        (
            s.recycling.into(),
            s.recycling_approach(r.method.recycling).into(),
        ),
        (
            s.end_of_life_note.into(),
            b.or_nr(r.method.end_of_life_note.as_deref()),
        ),
    ]));
    b.subsection(s.assumptions);
    b.list_or_nr(&r.method.assumptions);
    b.subsection(s.parameters);
    if r.method.parameters.is_empty() {
        b.push(Block::Paragraph(s.none.into()));
    } else {
        let rows = r
            .method
            .parameters
            .iter()
            .map(|p| {
                let value = match (&p.value, p.formula.as_deref()) {
                    (Some(v), Some(f)) => format!("{}\n= {f}", b.value(*v)),
                    (Some(v), None) => b.value(*v),
                    (None, Some(f)) => format!("= {f}"),
                    (None, None) => s.not_reported.into(),
                };
                vec![
                    p.name.clone(),
                    value,
                    p.unit.clone().unwrap_or_default(),
                    b.or_nr(p.source.as_deref()),
                ]
            })
            .collect();
        b.push(Block::Table(Table {
            columns: vec![
                col(s.col_parameter, 1.5, false),
                col(s.col_value, 1.6, false),
                col(s.col_unit, 0.9, false),
                col(s.col_source, 3.8, false),
            ],
            rows,
            footer: None,
        }));
    }

    // 6 Results.
    b.section(s.sec_results);
    b.push(Block::Headline {
        label: s.carbon_footprint.to_string(),
        value: b.value(r.results.total),
        unit: per_unit.clone(),
    });
    b.subsection(s.by_stage);
    if r.results.by_stage.is_empty() {
        b.push(Block::Paragraph(s.not_reported.into()));
    } else {
        b.push(Block::Chart {
            svg: stage_chart(s.chart_stages, &per_unit, &stage_bars(r, s), lang),
        });
        let rows = r
            .results
            .by_stage
            .iter()
            .map(|st| {
                vec![
                    s.stage(st.stage).into(),
                    b.value(st.value),
                    b.share(st.share),
                ]
            })
            .collect();
        let sum: f64 = r.results.by_stage.iter().map(|st| st.value).sum();
        let share_sum: f64 = r.results.by_stage.iter().map(|st| st.share).sum();
        b.push(Block::Table(Table {
            columns: vec![
                col(s.col_stage, 3.0, false),
                col(s.col_value_co2e, 1.5, true),
                col(s.col_share, 1.0, true),
            ],
            rows,
            footer: Some(vec![s.total_row.into(), b.value(sum), b.share(share_sum)]),
        }));
    }
    b.subsection(s.separately);
    let o = &r.results.by_origin;
    let iluc = o
        .iluc
        .map(|v| b.value(v))
        .unwrap_or_else(|| s.not_quantified.into());
    b.push(Block::Table(Table {
        columns: vec![
            col(s.col_part, 3.0, false),
            col(s.col_value_co2e, 1.5, true),
        ],
        rows: vec![
            vec![s.fossil.into(), b.value(o.fossil)],
            vec![s.biogenic_emissions.into(), b.value(o.biogenic_emissions)],
            vec![s.biogenic_removals.into(), b.value(o.biogenic_removals)],
            vec![s.dluc.into(), b.value(o.dluc)],
            vec![s.iluc.into(), iluc],
            vec![s.unspecified.into(), b.value(o.unspecified)],
            vec![s.aircraft.into(), b.value(o.aircraft)],
        ],
        footer: None,
    }));
    b.subsection(s.by_gas);
    if r.results.by_gas.is_empty() {
        b.push(Block::Paragraph(s.not_reported.into()));
    } else {
        let bars: Vec<Bar> = r
            .results
            .by_gas
            .iter()
            .map(|g| Bar::new(format!("{} ({})", g.gas, s.origin(g.origin)), g.value))
            .collect();
        b.push(Block::Chart {
            svg: horizontal_bar_chart(s.chart_gases, &per_unit, &bars, lang),
        });
        let rows = r
            .results
            .by_gas
            .iter()
            .map(|g| {
                vec![
                    g.gas.clone(),
                    s.origin(g.origin).into(),
                    b.value(g.mass),
                    b.value(g.value),
                ]
            })
            .collect();
        b.push(Block::Table(Table {
            columns: vec![
                col(s.col_gas, 1.2, false),
                col(s.col_origin, 1.6, false),
                col(s.col_mass, 1.2, true),
                col(s.col_value_co2e, 1.2, true),
            ],
            rows,
            footer: None,
        }));
    }
    b.subsection(s.top_contributors);
    if r.results.top_contributors.is_empty() {
        b.push(Block::Paragraph(s.not_reported.into()));
    } else {
        let bars: Vec<Bar> = r
            .results
            .top_contributors
            .iter()
            .map(|c| Bar::new(c.name.clone(), c.value))
            .collect();
        b.push(Block::Chart {
            svg: horizontal_bar_chart(s.top_contributors, &per_unit, &bars, lang),
        });
        let rows = r
            .results
            .top_contributors
            .iter()
            .map(|c| {
                vec![
                    c.name.clone(),
                    s.stage(c.stage).into(),
                    b.value(c.value),
                    b.share(c.share),
                ]
            })
            .collect();
        b.push(Block::Table(Table {
            columns: vec![
                col(s.col_process, 3.0, false),
                col(s.col_stage, 1.4, false),
                col(s.col_value_co2e, 1.1, true),
                col(s.col_share, 0.9, true),
            ],
            rows,
            footer: None,
        }));
    }

    // 7 Interpretation.
    b.section(s.sec_interpretation);
    b.subsection(s.uncertainty);
    match &r.interpretation.monte_carlo {
        Some(mc) => {
            b.push(Block::Paragraph(s.mc_method.into()));
            let mut fields = vec![
                (
                    s.mc_iterations.into(),
                    format_count(mc.iterations as u64, lang),
                ),
                (s.mc_mean.into(), b.value(mc.mean)),
                (s.mc_sd.into(), b.value(mc.sd)),
                (s.mc_median.into(), b.value(mc.median)),
                (
                    s.mc_interval.into(),
                    format!("{} – {}", b.value(mc.p2_5), b.value(mc.p97_5)),
                ),
            ];
            if let Some(seed) = mc.seed {
                fields.push((s.mc_seed.into(), seed.to_string()));
            }
            b.push(Block::Fields(fields));
        }
        None => b.push(Block::Paragraph(s.mc_not_run.into())),
    }
    b.subsection(s.sensitivity);
    if r.interpretation.sensitivity.is_empty() {
        b.push(Block::Paragraph(s.sensitivity_none.into()));
    } else {
        if let Some(step) = r.interpretation.sensitivity_step {
            let step = format_share(step, lang).replace(".0%", "%");
            b.push(Block::Paragraph(fill(
                s.sensitivity_step,
                &[("step", &step)],
            )));
        }
        let rows = r
            .interpretation
            .sensitivity
            .iter()
            .map(|x| {
                vec![
                    x.parameter.clone(),
                    b.value(x.value),
                    b.opt_value(x.total_low),
                    b.opt_value(x.total_high),
                    x.elasticity
                        .map(|e| format_value(e, lang))
                        .unwrap_or_else(|| s.not_reported.into()),
                    x.note.clone().unwrap_or_default(),
                ]
            })
            .collect();
        b.push(Block::Table(Table {
            columns: vec![
                col(s.col_parameter, 1.8, false),
                col(s.col_value, 1.0, true),
                col(s.col_total_low, 1.1, true),
                col(s.col_total_high, 1.1, true),
                col(s.col_elasticity, 1.0, true),
                col(s.col_note, 1.6, false),
            ],
            rows,
            footer: None,
        }));
    }
    b.subsection(s.limitations);
    b.list_or_nr(&r.interpretation.limitations);

    // 8 PCR and conformance.
    b.section(s.sec_pcr);
    match &r.pcr {
        None => b.push(Block::Paragraph(s.pcr_none.into())),
        Some(pcr) => {
            b.push(Block::Fields(vec![
                (s.pcr.into(), pcr_text.clone().unwrap_or_default()),
                (
                    s.pcr_title.into(),
                    b.or_nr(Some(&product_name(&pcr.title, lang))),
                ),
            ]));
            b.subsection(s.conformance);
            match &pcr.conformance {
                None => b.push(Block::Paragraph(s.conformance_not_run.into())),
                Some(items) => {
                    let met = items.iter().filter(|i| i.met).count();
                    let missed = items.len() - met;
                    let blocking = items.iter().filter(|i| !i.met && i.mandatory).count();
                    b.push(Block::Paragraph(fill(
                        s.conformance_summary,
                        &[
                            ("total", &items.len().to_string()),
                            ("met", &met.to_string()),
                            ("missed", &missed.to_string()),
                            ("blocking", &blocking.to_string()),
                        ],
                    )));
                    let rows = items
                        .iter()
                        .map(|i| {
                            vec![
                                i.key.clone(),
                                if i.mandatory { s.mandatory } else { s.advisory }.into(),
                                if i.met { s.met } else { s.missed }.into(),
                                i.detail.clone(),
                            ]
                        })
                        .collect();
                    b.push(Block::Table(Table {
                        columns: vec![
                            col(s.col_requirement, 2.0, false),
                            col(s.col_severity, 0.8, false),
                            col(s.col_outcome, 0.8, false),
                            col(s.col_detail, 3.6, false),
                        ],
                        rows,
                        footer: None,
                    }));
                }
            }
        }
    }

    // 9 Traceability.
    b.section(s.sec_provenance);
    b.push(Block::Fields(vec![
        (s.report_id.into(), b.or_nr(Some(&r.report_id))),
        (
            s.footprint_id.into(),
            b.or_nr(r.provenance.footprint_id.as_deref()),
        ),
        (
            s.organisation.into(),
            b.or_nr(r.provenance.organisation.as_deref()),
        ),
        (
            s.model_version.into(),
            r.provenance
                .model_version
                .map(|v| v.to_string())
                .unwrap_or_else(|| s.not_reported.into()),
        ),
        (s.computed_at.into(), b.or_nr(date.as_deref())),
        (s.engine.into(), b.or_nr(r.provenance.engine.as_deref())),
        (s.gwp_method.into(), b.or_nr(Some(&r.method.gwp_method))),
        (
            s.fingerprint.into(),
            b.or_nr(r.provenance.fingerprint_sha256.as_deref()),
        ),
    ]));
    b.push(Block::Note(s.fingerprint_note.into()));
    b.blocks
}

fn stage_bars(r: &StudyReport, s: &Strings) -> Vec<Bar> {
    r.results
        .by_stage
        .iter()
        .map(|st| Bar::new(s.stage(st.stage), st.value))
        .collect()
}

/// The certificate's blocks in `lang`.
pub(crate) fn certificate_blocks(c: &CertificateDocument, lang: Lang) -> Vec<Block> {
    let s = lang.strings();
    let nr = |o: Option<&str>| {
        o.map(str::trim)
            .filter(|v| !v.is_empty())
            .unwrap_or(s.not_reported)
            .to_string()
    };
    let standards = if c.standards.is_empty() {
        STANDARDS.iter().map(|x| x.to_string()).collect()
    } else {
        c.standards.clone()
    };
    let pcr = match (&c.pcr_id, &c.pcr_version) {
        (Some(id), Some(v)) => format!("{id} v{v}"),
        (Some(id), None) => id.clone(),
        (None, _) => s.none.to_string(),
    };
    let mut fields = vec![
        (s.cert_id.to_string(), c.certificate_id.clone()),
        (s.holder.into(), nr(Some(&c.holder))),
        (s.product_name.into(), all_names(&c.product, lang)),
    ];
    if let Some(gtin) = c.gtin.as_deref().filter(|g| !g.trim().is_empty()) {
        fields.push((s.gtin.into(), gtin.to_string()));
    }
    fields.extend([
        (s.declared_unit.into(), nr(Some(&c.declared_unit))),
        (
            s.system_boundary.into(),
            c.boundary
                .map(|x| s.boundary(x).to_string())
                .unwrap_or_else(|| s.not_reported.into()),
        ),
        (s.pcr.into(), pcr),
        (s.standards.into(), standards.join(s.list_separator)),
        (s.certification_body.into(), nr(Some(&c.certification_body))),
        (s.issued.into(), format_date(c.issued_at_ms)),
        (
            s.expires.into(),
            c.valid_until_ms
                .map(|ms| format_date(ms.saturating_sub(1)))
                .unwrap_or_else(|| s.not_reported.into()),
        ),
        (s.status.into(), s.certificate_status(c.status).into()),
        (s.fingerprint.into(), nr(Some(&c.fingerprint_sha256))),
        (s.verify_at.into(), nr(Some(&c.verification_url))),
    ]);
    vec![
        Block::Title {
            title: s.cert_title.to_string(),
            product: product_name(&c.product, lang),
            subtitle: s.cert_intro.to_string() + " " + &standards.join(s.list_separator),
        },
        Block::Headline {
            label: s.carbon_footprint.to_string(),
            value: format_value(c.value, lang),
            unit: fill(s.per_unit, &[("unit", c.declared_unit.trim())]),
        },
        Block::Fields(fields),
    ]
}
