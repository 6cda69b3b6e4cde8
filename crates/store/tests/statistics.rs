//! The desks' read models on both backends: the registry's statistics by category,
//! region and day (counted here by hand from what the test stores), organisations with
//! their users, database versions with the provenance their packages state, and who may
//! read them. Certificates and labels in these counts are walked end to end by the
//! server's `tests/web_desk.rs`.

mod common;

use zuji_store::statistics::Granularity;
use zuji_store::*;

async fn enterprise(s: &Store, name: &str, users: &[&str]) -> Viewer {
    let org = s
        .create_org(&Viewer::System, name, OrgKind::Enterprise)
        .await
        .unwrap();
    let mut viewer = None;
    for email in users {
        let u = s
            .create_user(
                &Viewer::System,
                email,
                org.id,
                Role::Editor,
                "a long enough password",
            )
            .await
            .unwrap();
        viewer = Some(Viewer::Member {
            org_id: org.id,
            org_kind: OrgKind::Enterprise,
            user_id: Some(u.id),
            scopes: Scope::of_role(Role::Editor),
        });
    }
    viewer.unwrap_or(Viewer::Member {
        org_id: org.id,
        org_kind: OrgKind::Enterprise,
        user_id: None,
        scopes: Scope::of_role(Role::Editor),
    })
}

/// A model stating `geography` (or none), as JSON; the statistics read only
/// `product.geography` and `product.reference_period`.
fn model(geography: Option<&str>) -> NewModelVersion {
    let product = match geography {
        Some(g) => serde_json::json!({"name": "x", "geography": g, "reference_period": "2025"}),
        None => serde_json::json!({"name": "x"}),
    };
    NewModelVersion {
        model_json: serde_json::json!({ "product": product }).to_string(),
        source_format: "json".into(),
        note: String::new(),
    }
}

#[tokio::test]
async fn statistics_count_products_by_category_region_and_day() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        let a = enterprise(s, "Dongguan Cells", &["a1@cells.cn", "a2@cells.cn"]).await;
        let b = enterprise(s, "Foshan Steel", &["b@steel.cn"]).await;
        // Three battery packs (two from Guangdong, one stating no region), one coil.
        for (viewer, product, category, geo) in [
            (&a, "Pack 1", "battery-pack", Some("CN-GD")),
            (&a, "Pack 2", "battery-pack", Some("CN-GD")),
            (&a, "Pack 3", "battery-pack", None),
            (&b, "Coil", "steel-hot-rolled-coil", Some("CN-JS")),
        ] {
            s.create_product(viewer, product, category, None, model(geo))
                .await
                .unwrap();
        }
        // A second model version moves pack 1 to Jiangsu: the latest version counts.
        let pack1 = s
            .list_products(&a, &ProductFilter::default(), PageRequest::new(0, 10))
            .await
            .unwrap()
            .items
            .into_iter()
            .find(|p| p.name == "Pack 1")
            .unwrap();
        s.add_model_version(&a, pack1.id, model(Some("CN-JS")))
            .await
            .unwrap();

        let registry_org = s
            .create_org(&Viewer::System, "GBA Registry", OrgKind::Registry)
            .await
            .unwrap();
        let registry = Viewer::Member {
            org_id: registry_org.id,
            org_kind: OrgKind::Registry,
            user_id: None,
            scopes: Scope::of_role(Role::Viewer),
        };
        let st = s.statistics(&registry).await.unwrap();
        assert_eq!(st.totals.products, 4, "{name}");
        assert_eq!(st.totals.certificates, 0);
        assert_eq!(st.totals.labels, 0);
        let products: Vec<(&str, u64)> = st
            .by_category
            .iter()
            .map(|(k, t)| (k.as_str(), t.products))
            .collect();
        assert_eq!(
            products,
            vec![("battery-pack", 3), ("steel-hot-rolled-coil", 1)],
            "{name}"
        );
        // Pack 1 now CN-JS with the coil; pack 2 CN-GD; pack 3 states none ('').
        let regions: Vec<(&str, u64)> = st
            .by_region
            .iter()
            .map(|(k, t)| (k.as_str(), t.products))
            .collect();
        assert_eq!(regions, vec![("", 1), ("CN-GD", 1), ("CN-JS", 2)], "{name}");
        // All four were created today: one day, one month, one quarter.
        let today = now_ms() / 86_400_000;
        assert_eq!(st.by_day.len(), 1, "{name}");
        assert_eq!((st.by_day[0].day, st.by_day[0].products), (today, 4));
        let months = st.over_time(Granularity::Month);
        assert_eq!(months.len(), 1);
        assert_eq!(months[0].products, 4);
        assert_eq!(st.over_time(Granularity::Quarter).len(), 1);
        // Counted again, the facts already read are not read twice, and nothing changes.
        assert_eq!(s.statistics(&registry).await.unwrap(), st, "{name}");

        // Only the registry (and the system) reads them.
        assert!(matches!(
            s.statistics(&a).await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.statistics(&Viewer::Anonymous).await,
            Err(StoreError::Unauthenticated)
        ));
        assert_eq!(s.statistics(&Viewer::System).await.unwrap(), st);

        // Organisations with their users, by kind then name.
        let orgs = s.organisations_overview(&registry).await.unwrap();
        let rows: Vec<(&str, OrgKind, u64)> = orgs
            .iter()
            .map(|o| (o.name.as_str(), o.kind, o.users))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("Dongguan Cells", OrgKind::Enterprise, 2),
                ("Foshan Steel", OrgKind::Enterprise, 1),
                ("GBA Registry", OrgKind::Registry, 0),
            ],
            "{name}"
        );
        assert!(s.organisations_overview(&a).await.is_err());

        // The certification desk's queries are for bodies and the registry.
        let first = zuji_store::PageRequest::new(0, 25);
        assert!(matches!(
            s.certification_queue_page(&a, first).await,
            Err(StoreError::Forbidden(_))
        ));
        assert_eq!(
            s.certification_queue_page(&registry, first)
                .await
                .unwrap()
                .total,
            0
        );
        assert!(s.certificates_of_body(&registry).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn database_versions_show_the_provenance_their_packages_state() {
    for t in common::both().await {
        let (s, name) = (&t.store, t.name);
        let db = zuji_formats::default_db::default_database().unwrap();
        s.add_database_version(
            &Viewer::System,
            NewDatabaseVersion {
                name: "zuji-default",
                db: &db,
                source_format: "tabular",
                warnings: vec![],
            },
            None,
        )
        .await
        .unwrap();
        let overview = s.database_overview(&Viewer::System).await.unwrap();
        assert_eq!(overview.len(), 1, "{name}");
        let v = &overview[0];
        assert_eq!(v.version.version, "2026.1");
        // data/zuji-default/database.toml, as written there.
        assert!(
            v.source
                .starts_with("Built by data/build/build_default_db.py"),
            "{name}: {}",
            v.source
        );
        assert!(
            v.licence
                .starts_with("The compilation (selection, structure, ids"),
            "{}",
            v.licence
        );
        assert!(v.current);
        assert_eq!(v.footprints, 0);
        // Read again from the kept facts: the same.
        assert_eq!(
            s.database_overview(&Viewer::System).await.unwrap(),
            overview
        );
        let enterprise = enterprise(s, "Dongguan Cells", &[]).await;
        assert!(matches!(
            s.database_overview(&enterprise).await,
            Err(StoreError::Forbidden(_))
        ));
    }
}
