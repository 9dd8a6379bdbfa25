# Convenience targets; each installs the Debian packages it needs when they are missing.
.PHONY: deps build test run release

deps:
	scripts/install-deps.sh

build: deps
	swift build --product hubscout

release: deps
	swift build -c release --product hubscout

test: deps
	swift test --disable-xctest

# make run ARGS="search --task text-generation --limit 5"
run: build
	.build/debug/hubscout $(ARGS)
