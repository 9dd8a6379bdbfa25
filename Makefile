# Convenience targets; each installs the system libraries it needs when they are missing (apt, else Homebrew).
.PHONY: deps build test run release man completions install uninstall

# Where `make install` puts things: $(DESTDIR)$(PREFIX)/bin, share/man/man1 and the shells' completion folders.
PREFIX ?= /usr/local
DESTDIR ?=
# SwiftPM's build folder for release, man page and completions (another one keeps a second build apart).
SCRATCH ?= .build

# On Linux the release binary carries the Swift runtime and Foundation, so it runs without a Swift toolchain
# (it still needs the system's libcurl, libarchive and libsqlite3). Apple platforms always link it dynamically.
ifeq ($(shell uname -s),Linux)
RELEASE_FLAGS ?= --static-swift-stdlib
else
RELEASE_FLAGS ?=
endif

# On macOS, SwiftPM finds libarchive through pkg-config, and Homebrew's libarchive is keg-only (macOS ships its own
# library without headers): point pkg-config at it. `brew --prefix` answers even before `make deps` installs it.
ifeq ($(shell uname -s),Darwin)
BREW_LIBARCHIVE := $(shell brew --prefix libarchive 2>/dev/null)
ifneq ($(BREW_LIBARCHIVE),)
export PKG_CONFIG_PATH := $(BREW_LIBARCHIVE)/lib/pkgconfig$(if $(PKG_CONFIG_PATH),:$(PKG_CONFIG_PATH))
endif
endif

# `install -s` strips the binary (about half its size); `make install STRIP=` keeps the symbols.
STRIP ?= -s

RELEASE_BIN = $(SCRATCH)/release/hubscout
MAN_OUT = $(SCRATCH)/man
COMPLETIONS_OUT = $(SCRATCH)/completions
ARGUMENT_PARSER = $(SCRATCH)/checkouts/swift-argument-parser
GENERATE_MANUAL = $(SCRATCH)/tools/argument-parser/debug/generate-manual

BINDIR = $(DESTDIR)$(PREFIX)/bin
MAN1DIR = $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
INSTALLED = $(BINDIR)/hubscout $(MAN1DIR)/hubscout.1 $(BASHDIR)/hubscout $(ZSHDIR)/_hubscout $(FISHDIR)/hubscout.fish

deps:
	scripts/install-deps.sh

build: deps
	swift build --product hubscout

release: deps
	swift build -c release --product hubscout --scratch-path $(SCRATCH) $(RELEASE_FLAGS)

test: deps
	swift test --disable-xctest

# make run ARGS="search --task text-generation --limit 5"
run: build
	.build/debug/hubscout $(ARGS)

# hubscout.1 from the command definitions, by swift-argument-parser's generate-manual tool (the tool behind its
# generate-manual command plugin, built from the resolved checkout) run on the release binary. Blank lines become
# .Pp so man prints no mdoc warnings.
man: release
	swift build --quiet --package-path $(ARGUMENT_PARSER) --scratch-path $(SCRATCH)/tools/argument-parser --product generate-manual
	rm -rf $(MAN_OUT) && mkdir -p $(MAN_OUT)/raw
	$(GENERATE_MANUAL) $(RELEASE_BIN) --output-directory $(MAN_OUT)/raw
	sed 's/^$$/.Pp/' $(MAN_OUT)/raw/hubscout.1 > $(MAN_OUT)/hubscout.1
	rm -rf $(MAN_OUT)/raw

completions: release
	rm -rf $(COMPLETIONS_OUT) && mkdir -p $(COMPLETIONS_OUT)
	$(RELEASE_BIN) --generate-completion-script bash > $(COMPLETIONS_OUT)/hubscout
	$(RELEASE_BIN) --generate-completion-script zsh > $(COMPLETIONS_OUT)/_hubscout
	$(RELEASE_BIN) --generate-completion-script fish > $(COMPLETIONS_OUT)/hubscout.fish

# make install [PREFIX=/usr/local] [DESTDIR=/staging]; the binary holds the catalog snapshot, so nothing else ships.
install: release man completions
	install -d $(BINDIR) $(MAN1DIR) $(BASHDIR) $(ZSHDIR) $(FISHDIR)
	install -m 755 $(STRIP) $(RELEASE_BIN) $(BINDIR)/hubscout
	install -m 644 $(MAN_OUT)/hubscout.1 $(MAN1DIR)/hubscout.1
	install -m 644 $(COMPLETIONS_OUT)/hubscout $(BASHDIR)/hubscout
	install -m 644 $(COMPLETIONS_OUT)/_hubscout $(ZSHDIR)/_hubscout
	install -m 644 $(COMPLETIONS_OUT)/hubscout.fish $(FISHDIR)/hubscout.fish

# Removes exactly the files `make install` wrote (same PREFIX and DESTDIR); folders are left alone.
uninstall:
	rm -f $(INSTALLED)
