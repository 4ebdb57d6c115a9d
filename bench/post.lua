-- wrk script of the creation endpoints: one POST per request, body and type from the
-- environment (set by bench/run.py); the Cookie and CSRF headers come with -H.
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE")
