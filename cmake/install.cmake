# How wasmdev is installed and packaged (docs/packaging.md): the git commit for --version,
# the man page and shell completions generated from the built binary's --help, the
# `cmake --install` layout (GNUInstallDirs) and the Debian package (`cpack -G DEB`).
# Included once from the top CMakeLists.txt, after the wasmdev target.
include(GNUInstallDirs)

# ---- the commit for --version ----
# One generated .cpp in the executable, refreshed before every link and rewritten only when
# the description changes: a commit relinks wasmdev, it does not rebuild the folders.
find_program(WASMDEV_GIT git)
set(WASMDEV_GIT_COMMIT_CPP ${CMAKE_BINARY_DIR}/generated/git_commit.cpp)
set(_git_commit_cmd ${CMAKE_COMMAND} -DSRC=${CMAKE_SOURCE_DIR} -DOUT=${WASMDEV_GIT_COMMIT_CPP}
                    -DGIT=${WASMDEV_GIT} -P ${CMAKE_SOURCE_DIR}/cmake/git_commit.cmake)
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/generated)
execute_process(COMMAND ${_git_commit_cmd})
add_custom_target(wasmdev_git_commit COMMAND ${_git_commit_cmd} BYPRODUCTS ${WASMDEV_GIT_COMMIT_CPP} VERBATIM)
target_sources(wasmdev PRIVATE ${WASMDEV_GIT_COMMIT_CPP})
add_dependencies(wasmdev wasmdev_git_commit)

# A read-only GOT once loaded (relro + bindnow), as Debian builds its packages: the dynamic
# linker resolves every symbol at start-up, a few milliseconds, before anything is served.
target_link_options(wasmdev PRIVATE LINKER:-z,relro LINKER:-z,now)

# ---- man page and completions, from the binary's own help ----
set(WASMDEV_CLI_DOCS ${CMAKE_BINARY_DIR}/cli-docs)
set(_cli_docs_files ${WASMDEV_CLI_DOCS}/wasmdev.1 ${WASMDEV_CLI_DOCS}/wasmdev.1.gz ${WASMDEV_CLI_DOCS}/wasmdev.bash
                    ${WASMDEV_CLI_DOCS}/_wasmdev ${WASMDEV_CLI_DOCS}/wasmdev.fish)
add_custom_command(
  OUTPUT ${_cli_docs_files}
  COMMAND ${CMAKE_COMMAND} -DBIN=$<TARGET_FILE:wasmdev> -DOUT=${WASMDEV_CLI_DOCS} -DVERSION=${PROJECT_VERSION}
          -P ${CMAKE_SOURCE_DIR}/cmake/cli_docs.cmake
  DEPENDS wasmdev ${CMAKE_SOURCE_DIR}/cmake/cli_docs.cmake
  COMMENT "Writing wasmdev.1 and the bash, zsh and fish completions from wasmdev --help"
  VERBATIM)
add_custom_target(wasmdev_cli_docs ALL DEPENDS ${_cli_docs_files})

# ---- cmake --install ----
# Directories 0755 whatever the umask of the one who builds (files get 0644 by default).
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
    WORLD_READ WORLD_EXECUTE)
# Where the completions go, relative to the prefix: where each shell's own package looks
# (bash-completion's completionsdir, zsh's site-functions, fish's vendor_completions.d).
# Debian's zsh does not read /usr/share/zsh/site-functions, only /usr/local/share/zsh/site-functions
# and /usr/share/zsh/vendor-completions: a /usr prefix (the .deb) takes the latter.
set(WASMDEV_BASH_COMPLETIONS_DIR ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions
    CACHE STRING "bash completions, relative to the install prefix")
set(WASMDEV_FISH_COMPLETIONS_DIR ${CMAKE_INSTALL_DATAROOTDIR}/fish/vendor_completions.d
    CACHE STRING "fish completions, relative to the install prefix")
set(WASMDEV_ZSH_COMPLETIONS_DIR "" CACHE STRING
    "zsh completions, relative to the install prefix (empty: share/zsh/vendor-completions under /usr, else share/zsh/site-functions)")

install(TARGETS wasmdev RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${WASMDEV_CLI_DOCS}/wasmdev.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${WASMDEV_CLI_DOCS}/wasmdev.bash DESTINATION ${WASMDEV_BASH_COMPLETIONS_DIR} RENAME wasmdev)
install(FILES ${WASMDEV_CLI_DOCS}/wasmdev.fish DESTINATION ${WASMDEV_FISH_COMPLETIONS_DIR})
# The zsh directory is chosen when installing, as the prefix is known only then (cpack
# installs into <staging>/usr, `cmake --install --prefix P` into P).
install(CODE "
  set(_zsh_dir \"${WASMDEV_ZSH_COMPLETIONS_DIR}\")
  if(_zsh_dir STREQUAL \"\")
    if(CMAKE_INSTALL_PREFIX MATCHES \"(^|/)usr/?$\")
      set(_zsh_dir \"${CMAKE_INSTALL_DATAROOTDIR}/zsh/vendor-completions\")
    else()
      set(_zsh_dir \"${CMAKE_INSTALL_DATAROOTDIR}/zsh/site-functions\")
    endif()
  endif()
  file(INSTALL DESTINATION \"\${CMAKE_INSTALL_PREFIX}/\${_zsh_dir}\" TYPE FILE FILES \"${WASMDEV_CLI_DOCS}/_wasmdev\")
")

# Debian's documentation files: the copyright and the changelog (gzipped, without a
# timestamp in the header), in /usr/share/doc/wasmdev as lintian expects.
set(_changelog_gz ${CMAKE_BINARY_DIR}/generated/changelog.gz)
add_custom_command(
  OUTPUT ${_changelog_gz}
  COMMAND gzip -9n -c ${CMAKE_SOURCE_DIR}/packaging/changelog > ${_changelog_gz}
  DEPENDS ${CMAKE_SOURCE_DIR}/packaging/changelog)
add_custom_target(wasmdev_changelog ALL DEPENDS ${_changelog_gz})
install(FILES ${CMAKE_SOURCE_DIR}/packaging/copyright ${_changelog_gz} DESTINATION ${CMAKE_INSTALL_DOCDIR})

# ---- cpack -G DEB ----
# cpack (like `make install`) would first build every target, the test binaries too: on a
# shared 2-core machine that is minutes for nothing. It packages what `cmake --build` made;
# `cmake --build build` comes first (README "Install").
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(CPACK_PACKAGE_NAME wasmdev)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "wasmdev")
set(CPACK_PACKAGE_CONTACT "wasmdev maintainers <maintainers@users.noreply.r-seed-752a71f9.example>")
set(WASMDEV_DEB_MAINTAINER "${CPACK_PACKAGE_CONTACT}" CACHE STRING "The .deb's Maintainer field")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${WASMDEV_DEB_MAINTAINER}")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # wasmdev_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS chromium)  # `wasmdev run` drives it; serve needs no browser here
set(CPACK_DEBIAN_PACKAGE_SUGGESTS emscripten)  # `wasmdev build` and the doctor's real modules
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "HTTP development server for WebAssembly builds
wasmdev serves a directory with what a browser needs for WebAssembly threads
and fast reloads: Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy
on every response (so SharedArrayBuffer works), exact MIME types, compression,
ranges and revalidation, live reload, and HTTPS from a local certificate
authority for phones.

It also builds CPython for WebAssembly (wasmdev build), explains why a module
will not load or debug in DevTools (wasmdev doctor), runs a page in headless
Chromium (wasmdev run) and writes the matching Apache, nginx and Caddy config.")
include(CPack)
