//! The store on both backends: accounts, tenancy, versions, background databases,
//! footprints and the job queue.

mod common;

use zuji_store::*;

async fn org(s: &Store, name: &str, kind: OrgKind) -> Organisation {
    s.create_org(&Viewer::System, name, kind)
        .await
        .expect("org")
}

async fn member(s: &Store, org: &Organisation, email: &str, role: Role) -> Viewer {
    s.create_user(
        &Viewer::System,
        email,
        org.id,
        role,
        "a long enough password",
    )
    .await
    .expect("user");
    let token = s
        .login(email, "a long enough password")
        .await
        .expect("login");
    s.authenticate(&token.token).await.expect("session")
}

fn model_json(name: &str) -> NewModelVersion {
    NewModelVersion {
        model_json: format!("{{\"product\":{{\"name\":\"{name}\"}}}}"),
        source_format: "json".into(),
        note: String::new(),
    }
}

#[tokio::test]
async fn accounts_sessions_and_api_clients() {
    for t in common::both().await {
        let s = &t.store;
        let a = org(s, "Dongguan Battery Co.", OrgKind::Enterprise).await;
        assert!(
            matches!(
                s.create_org(&Viewer::System, "Dongguan Battery Co.", OrgKind::Enterprise)
                    .await,
                Err(StoreError::Conflict { .. })
            ),
            "{}",
            t.name
        );
        let admin = member(s, &a, "Admin@Example.com", Role::Admin).await;
        assert_eq!(admin.org_id(), Some(a.id));
        assert!(admin.has(Scope::Admin) && admin.has(Scope::Write));
        // Wrong password, unknown user: the same error.
        assert!(matches!(
            s.login("admin@example.com", "wrong password!").await,
            Err(StoreError::Unauthenticated)
        ));
        assert!(matches!(
            s.login("nobody@example.com", "a long enough password")
                .await,
            Err(StoreError::Unauthenticated)
        ));
        // A short password is refused before anything is stored.
        let err = s
            .create_user(&admin, "x@example.com", a.id, Role::Viewer, "short")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("password"), "{err}");
        // A viewer cannot create users; an admin of another org cannot see this one.
        let viewer = member(s, &a, "viewer@example.com", Role::Viewer).await;
        assert!(matches!(
            s.create_user(
                &viewer,
                "y@example.com",
                a.id,
                Role::Viewer,
                "a long enough password"
            )
            .await,
            Err(StoreError::Forbidden(_))
        ));
        let b = org(s, "Other Co.", OrgKind::Enterprise).await;
        let b_admin = member(s, &b, "b@example.com", Role::Admin).await;
        assert!(matches!(
            s.list_users(&b_admin, a.id, PageRequest::default()).await,
            Err(StoreError::NotFound { .. })
        ));
        let users = s
            .list_users(&admin, a.id, PageRequest::default())
            .await
            .expect("users");
        assert_eq!(users.total, 2);
        assert_eq!(users.items[0].email, "admin@example.com");

        // API client: secret shown once, stored hashed, scopes enforced, revocable.
        let issued = s
            .create_api_client(&admin, a.id, "erp", &[Scope::Read], false)
            .await
            .expect("client");
        assert!(matches!(
            s.client_credentials(&issued.client.client_id, "not the secret", None)
                .await,
            Err(StoreError::Unauthenticated)
        ));
        assert!(matches!(
            s.client_credentials(
                &issued.client.client_id,
                &issued.secret,
                Some(&[Scope::Write])
            )
            .await,
            Err(StoreError::Forbidden(_))
        ));
        let token = s
            .client_credentials(&issued.client.client_id, &issued.secret, None)
            .await
            .expect("token");
        let program = s.authenticate(&token.token).await.expect("program");
        assert!(program.has(Scope::Read) && !program.has(Scope::Write));
        assert_eq!(program.user_id(), None);
        s.revoke_api_client(&admin, a.id, &issued.client.client_id)
            .await
            .expect("revoke");
        assert!(
            matches!(
                s.authenticate(&token.token).await,
                Err(StoreError::Unauthenticated)
            ),
            "{}",
            t.name
        );
        // Logging out ends a session.
        let session = s
            .login("viewer@example.com", "a long enough password")
            .await
            .unwrap();
        s.revoke_token(&session.token).await.unwrap();
        assert!(s.authenticate(&session.token).await.is_err());
        // Every write is in the audit log, which the org admin reads.
        let log = s
            .audit_log(&admin, Some("api_client.create"), PageRequest::default())
            .await
            .expect("log");
        assert_eq!(log.total, 1, "{}", t.name);
        assert!(matches!(
            s.audit_log(&viewer, None, PageRequest::default()).await,
            Err(StoreError::Forbidden(_))
        ));
    }
}

#[tokio::test]
async fn tenancy_of_products_versions_and_footprints() {
    for t in common::both().await {
        let s = &t.store;
        let a = org(s, "A", OrgKind::Enterprise).await;
        let b = org(s, "B", OrgKind::Enterprise).await;
        let c = org(s, "CB", OrgKind::Certifier).await;
        let (va, vb, vc) = (
            member(s, &a, "a@x.cn", Role::Editor).await,
            member(s, &b, "b@x.cn", Role::Editor).await,
            member(s, &c, "c@x.cn", Role::Editor).await,
        );
        let (p, v1) = s
            .create_product(
                &va,
                "LFP pack",
                "battery",
                Some("06901234567892"),
                model_json("v1"),
            )
            .await
            .expect("product");
        assert_eq!(v1.version, 1);
        // Enterprises see themselves and the certification bodies, not each other.
        let seen: Vec<String> = s
            .list_orgs(&vb, None, PageRequest::default())
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|o| o.name)
            .collect();
        assert_eq!(seen, ["B", "CB"], "{}", t.name);
        assert!(matches!(
            s.get_org(&vb, a.id).await,
            Err(StoreError::NotFound { .. })
        ));
        assert_eq!(s.get_org(&vb, c.id).await.unwrap().name, "CB");
        // Certifiers do not own products.
        assert!(matches!(
            s.create_product(&vc, "x", "", None, model_json("x")).await,
            Err(StoreError::Forbidden(_))
        ));
        let v2 = s
            .add_model_version(&va, p.id, model_json("v2"))
            .await
            .expect("v2");
        assert_eq!(v2.version, 2);
        assert!(matches!(
            s.add_model_version(&vb, p.id, model_json("evil")).await,
            Err(StoreError::NotFound { .. })
        ));
        // Before disclosure: only A.
        for v in [&vb, &vc, &Viewer::Anonymous] {
            assert!(
                matches!(
                    s.get_product(v, p.id).await,
                    Err(StoreError::NotFound { .. })
                ),
                "{}: {v:?}",
                t.name
            );
            assert_eq!(
                s.list_products(v, &ProductFilter::default(), PageRequest::default())
                    .await
                    .unwrap()
                    .total,
                0
            );
        }
        let versions = s.list_model_versions(&va, p.id).await.expect("versions");
        assert_eq!(
            versions.iter().map(|v| v.version).collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(
            versions[0].model_json, "{\"product\":{\"name\":\"v1\"}}",
            "every version is kept"
        );

        // A footprint through the job queue.
        let job = s
            .enqueue_job(
                &va,
                JobKind::Footprint,
                Some(a.id),
                &serde_json::json!({"model_version_id": v2.id}),
                None,
            )
            .await
            .unwrap();
        let claimed = s.claim_job("w1", LEASE_MS).await.unwrap().expect("a job");
        assert_eq!(claimed.id, job.id);
        let result = serde_json::json!({"total": 78.5, "by_stage": [], "items": [{"name": "secret cathode supplier"}], "tree": {}});
        let fid = s
            .complete_footprint_job(
                &claimed,
                &NewFootprint {
                    product_id: p.id,
                    model_version_id: v2.id,
                    method: "GWP100-AR6".into(),
                    total: 78.5,
                    fingerprint: "abc".into(),
                    result_json: result.to_string(),
                    options_json: "{}".into(),
                    database_version_ids: vec![],
                },
            )
            .await
            .expect("stored");
        assert_eq!(
            s.get_job(&va, job.id).await.unwrap().status,
            JobStatus::Succeeded
        );
        assert!(matches!(
            s.get_job(&vb, job.id).await,
            Err(StoreError::NotFound { .. })
        ));
        let own = s.get_footprint(&va, fid).await.expect("own footprint");
        assert!(!own.summary_only && own.result["items"].is_array());
        assert_eq!(own.model_version, 2);

        // Disclosed: the public sees the product and the summary, never the items or versions.
        s.set_disclosed(&va, p.id, true).await.expect("disclose");
        assert!(matches!(
            s.set_disclosed(&vb, p.id, false).await,
            Err(StoreError::Forbidden(_))
        ));
        let public = s
            .get_footprint(&Viewer::Anonymous, fid)
            .await
            .expect("public footprint");
        assert!(public.summary_only);
        assert_eq!(public.result["total"], 78.5);
        assert!(public.result.get("items").is_none() && public.result.get("tree").is_none());
        assert!(matches!(
            s.list_model_versions(&Viewer::Anonymous, p.id).await,
            Err(StoreError::Unauthenticated)
        ));
        assert!(matches!(
            s.list_model_versions(&vb, p.id).await,
            Err(StoreError::Forbidden(_))
        ));
        let found = s
            .list_products(
                &Viewer::Anonymous,
                &ProductFilter {
                    q: Some("lfp".into()),
                    ..Default::default()
                },
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(found.total, 1);
        let by_gtin = s
            .list_products(
                &vb,
                &ProductFilter {
                    q: Some("06901234567892".into()),
                    ..Default::default()
                },
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(by_gtin.total, 1);

        // Granted for certification: the certifier sees the activity data.
        assert!(s.get_model_version(&vc, p.id, 1).await.is_err());
        s.grant_access(&va, p.id, c.id, "certification")
            .await
            .expect("grant");
        assert_eq!(
            s.get_model_version(&vc, p.id, 1)
                .await
                .expect("granted")
                .version,
            1
        );
        assert!(!s.get_footprint(&vc, fid).await.unwrap().summary_only);
        // The certifier recomputes the footprint and follows its own job.
        let recompute = s
            .start_footprint(&vc, p.id, Some(2), serde_json::json!({}))
            .await
            .expect("grantee recomputes");
        assert_eq!(
            s.get_job(&vc, recompute.id).await.unwrap().id,
            recompute.id,
            "{}",
            t.name
        );
        assert_eq!(
            s.get_job(&va, recompute.id).await.unwrap().org_id,
            Some(a.id),
            "the owner sees it too"
        );
        assert!(matches!(
            s.get_job(&vb, recompute.id).await,
            Err(StoreError::NotFound { .. })
        ));
        assert_eq!(
            s.list_jobs(&vc, None, PageRequest::default())
                .await
                .unwrap()
                .total,
            1
        );
        s.revoke_access(&va, p.id, c.id).await.unwrap();
        assert!(s.get_model_version(&vc, p.id, 1).await.is_err());
    }
}

#[tokio::test]
async fn lists_page_filter_and_sort() {
    for t in common::both().await {
        let s = &t.store;
        let a = org(s, "A", OrgKind::Enterprise).await;
        let va = member(s, &a, "a@x.cn", Role::Editor).await;
        for name in ["cement", "Aluminium", "battery", "brake"] {
            s.create_product(
                &va,
                name,
                if name.starts_with('b') {
                    "auto"
                } else {
                    "material"
                },
                None,
                model_json(name),
            )
            .await
            .unwrap();
        }
        let by_name = s
            .list_products(
                &va,
                &ProductFilter {
                    sort: Some("name".into()),
                    ..Default::default()
                },
                PageRequest::new(1, 2),
            )
            .await
            .unwrap();
        assert_eq!(by_name.total, 4);
        // SQLite and PostgreSQL must order the same: byte order of names, A < b < c.
        let names: Vec<_> = by_name.items.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["battery", "brake"], "{}", t.name);
        let auto = s
            .list_products(
                &va,
                &ProductFilter {
                    category: Some("auto".into()),
                    order: SortOrder::Desc,
                    ..Default::default()
                },
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(
            auto.items
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>(),
            ["brake", "battery"]
        );
        let err = s
            .list_products(
                &va,
                &ProductFilter {
                    sort: Some("secret".into()),
                    ..Default::default()
                },
                PageRequest::default(),
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("sort"), "{err}");
    }
}

#[tokio::test]
async fn database_versions_round_trip_and_stale_footprints() {
    let default = zuji_formats::default_db::default_database().expect("default db");
    for t in common::both().await {
        let s = &t.store;
        let v1 = s
            .add_database_version(
                &Viewer::System,
                NewDatabaseVersion {
                    name: "zuji-default",
                    db: &default,
                    source_format: "tabular",
                    warnings: vec![],
                },
                None,
            )
            .await
            .expect("stored");
        assert_eq!((v1.activities, v1.db_key.as_str()), (238, "zuji-default"));
        assert_eq!(
            s.load_database(v1.id).await.expect("loads"),
            default,
            "{}",
            t.name
        );
        // The same version twice is a conflict, and leaves nothing behind.
        assert!(matches!(
            s.add_database_version(
                &Viewer::System,
                NewDatabaseVersion {
                    name: "zuji-default",
                    db: &default,
                    source_format: "tabular",
                    warnings: vec![],
                },
                None
            )
            .await,
            Err(StoreError::Conflict { .. })
        ));
        assert_eq!(s.list_database_versions(None).await.unwrap().len(), 1);
        let hits = s
            .search_activities(
                None,
                Some("electricity"),
                Some("CN"),
                PageRequest::default(),
            )
            .await
            .unwrap();
        assert!(hits.total > 0, "{}", t.name);
        assert!(hits.items.iter().all(|a| a.geography == "CN"
            && (a.name.to_lowercase().contains("electricity")
                || a.activity_id.contains("electricity")
                || a.reference_product.to_lowercase().contains("electricity"))));

        // A footprint on v1, then v2 arrives: the footprint is listed as stale.
        let a = org(s, "A", OrgKind::Enterprise).await;
        let va = member(s, &a, "a@x.cn", Role::Editor).await;
        let (p, mv) = s
            .create_product(&va, "steel", "", None, model_json("steel"))
            .await
            .unwrap();
        s.enqueue_job(
            &va,
            JobKind::Footprint,
            Some(a.id),
            &serde_json::json!({}),
            None,
        )
        .await
        .unwrap();
        let job = s.claim_job("w", LEASE_MS).await.unwrap().unwrap();
        s.complete_footprint_job(
            &job,
            &NewFootprint {
                product_id: p.id,
                model_version_id: mv.id,
                method: "m".into(),
                total: 1.0,
                fingerprint: "f".into(),
                result_json: "{}".into(),
                options_json: "{}".into(),
                database_version_ids: vec![v1.id],
            },
        )
        .await
        .unwrap();
        assert!(
            s.stale_footprints(&Viewer::System)
                .await
                .unwrap()
                .is_empty()
        );
        let mut newer = default.clone();
        newer.meta.version = "2027.1".into();
        let v2 = s
            .add_database_version(
                &Viewer::System,
                NewDatabaseVersion {
                    name: "zuji-default",
                    db: &newer,
                    source_format: "tabular",
                    warnings: vec![],
                },
                None,
            )
            .await
            .unwrap();
        assert_eq!(
            s.current_database_versions()
                .await
                .unwrap()
                .iter()
                .map(|v| v.id)
                .collect::<Vec<_>>(),
            [v2.id]
        );
        let stale = s.stale_footprints(&va).await.unwrap();
        assert_eq!(stale.len(), 1, "{}", t.name);
        assert_eq!(
            (
                stale[0].product_name.as_str(),
                stale[0].old_database_version_id
            ),
            ("steel", v1.id)
        );
        let b = org(s, "B", OrgKind::Enterprise).await;
        let vb = member(s, &b, "b@x.cn", Role::Editor).await;
        assert!(s.stale_footprints(&vb).await.unwrap().is_empty(), "tenancy");
        // Only the registry imports background data.
        assert!(matches!(
            s.add_database_version(
                &va,
                NewDatabaseVersion {
                    name: "mine",
                    db: &default,
                    source_format: "tabular",
                    warnings: vec![],
                },
                None
            )
            .await,
            Err(StoreError::Forbidden(_))
        ));
    }
}

#[tokio::test]
async fn jobs_retry_then_fail_and_leases_fence_completion() {
    for t in common::both().await {
        let s = &t.store;
        let a = org(s, "A", OrgKind::Enterprise).await;
        let va = member(s, &a, "a@x.cn", Role::Editor).await;
        let (p, mv) = s
            .create_product(&va, "x", "", None, model_json("x"))
            .await
            .unwrap();
        let job = s
            .enqueue_job(
                &va,
                JobKind::Footprint,
                Some(a.id),
                &serde_json::json!({"n": 1}),
                None,
            )
            .await
            .unwrap();
        // Three failed attempts: queued, queued, failed with the error.
        let mut statuses = Vec::new();
        for attempt in 1..=3 {
            let c = loop {
                // Retries wait 1 s × attempts before they run again.
                if let Some(c) = s.claim_job("w", LEASE_MS).await.unwrap() {
                    break c;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            };
            assert_eq!((c.id, c.attempt), (job.id, attempt));
            assert_eq!(c.payload["n"], 1);
            statuses.push(
                s.fail_job(&c, "singular matrix: loop at process 'x'")
                    .await
                    .unwrap(),
            );
        }
        assert_eq!(
            statuses,
            [JobStatus::Queued, JobStatus::Queued, JobStatus::Failed],
            "{}",
            t.name
        );
        let failed = s.get_job(&va, job.id).await.unwrap();
        assert_eq!(
            failed.last_error.as_deref(),
            Some("singular matrix: loop at process 'x'")
        );
        assert!(s.claim_job("w", LEASE_MS).await.unwrap().is_none());

        // A worker that goes silent loses its job to another; its late commit is refused.
        s.enqueue_job(
            &va,
            JobKind::Footprint,
            Some(a.id),
            &serde_json::json!({}),
            None,
        )
        .await
        .unwrap();
        let slow = s.claim_job("slow", 1).await.unwrap().expect("claimed");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let fast = s
            .claim_job("fast", LEASE_MS)
            .await
            .unwrap()
            .expect("taken over");
        assert_eq!((fast.id, fast.attempt), (slow.id, 2));
        let new = NewFootprint {
            product_id: p.id,
            model_version_id: mv.id,
            method: "m".into(),
            total: 2.0,
            fingerprint: "f".into(),
            result_json: "{}".into(),
            options_json: "{}".into(),
            database_version_ids: vec![],
        };
        assert!(matches!(
            s.complete_footprint_job(&slow, &new).await,
            Err(StoreError::Stale(_))
        ));
        assert!(matches!(
            s.heartbeat(&slow, 0.5, LEASE_MS).await,
            Err(StoreError::Stale(_))
        ));
        s.heartbeat(&fast, 0.5, LEASE_MS).await.unwrap();
        s.complete_footprint_job(&fast, &new).await.unwrap();
        assert_eq!(
            s.list_footprints(&va, p.id, PageRequest::default())
                .await
                .unwrap()
                .total,
            1,
            "{}",
            t.name
        );
    }
}

/// Four workers drain 200 jobs concurrently: each job runs exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_workers_claim_each_job_once() {
    for t in common::both().await {
        let s = t.store.clone();
        for i in 0..200 {
            s.enqueue_job(
                &Viewer::System,
                JobKind::Import,
                None,
                &serde_json::json!({"i": i}),
                None,
            )
            .await
            .unwrap();
        }
        let mut handles = Vec::new();
        for w in 0..4 {
            let s = s.clone();
            handles.push(tokio::spawn(async move {
                let mut done = Vec::new();
                while let Some(job) = s.claim_job(&format!("w{w}"), LEASE_MS).await.unwrap() {
                    s.complete_job(&job, &serde_json::json!({"by": w}))
                        .await
                        .unwrap();
                    done.push(job.payload["i"].as_i64().unwrap());
                }
                done
            }));
        }
        let mut all = Vec::new();
        for h in handles {
            all.extend(h.await.unwrap());
        }
        all.sort();
        assert_eq!(all, (0..200).collect::<Vec<_>>(), "{}", t.name);
        let counts = s.job_counts().await.unwrap();
        assert_eq!(counts, [("succeeded".to_string(), 200)]);
    }
}

#[tokio::test]
async fn sqlite_backup_is_a_consistent_copy() {
    let t = common::sqlite().await;
    let a = org(&t.store, "A", OrgKind::Enterprise).await;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("backup.sqlite");
    t.store.backup_sqlite(&copy).await.expect("backup");
    assert!(
        t.store.backup_sqlite(&copy).await.is_err(),
        "never overwrites"
    );
    let restored = Store::open(&format!("sqlite:{}", copy.display()))
        .await
        .expect("opens");
    assert_eq!(restored.org_by_name("A").await.unwrap().id, a.id);
    let pg = common::postgres().await;
    assert!(pg.store.backup_sqlite(&copy).await.is_err());
}
