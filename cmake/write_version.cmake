# Run at build time (cmake -P): writes OUTPUT from INPUT with the project's VERSION and the git
# commit of SOURCE_DIR ("<12 hex digits>", "-dirty" appended when tracked files are modified,
# "unknown" outside a git checkout or without git). configure_file leaves OUTPUT untouched when
# nothing changed, so an unchanged commit rebuilds nothing.
find_program(_git git)
set(FLASHSCOPE_GIT_COMMIT unknown)
if(_git)
  execute_process(COMMAND ${_git} -C ${SOURCE_DIR} rev-parse --show-toplevel
                  OUTPUT_VARIABLE _top OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _top_rc ERROR_QUIET)
  # Only the project's own checkout counts, not a repository that happens to enclose an unpacked tree.
  if(_top_rc EQUAL 0)
    file(REAL_PATH "${_top}" _top)
    file(REAL_PATH "${SOURCE_DIR}" _source)
  endif()
  if(_top_rc EQUAL 0 AND _top STREQUAL _source)
    execute_process(COMMAND ${_git} -C ${SOURCE_DIR} rev-parse --short=12 HEAD
                    OUTPUT_VARIABLE _commit OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc ERROR_QUIET)
    if(_rc EQUAL 0 AND _commit MATCHES "^[0-9a-f]+$")
      set(FLASHSCOPE_GIT_COMMIT ${_commit})
      execute_process(COMMAND ${_git} -C ${SOURCE_DIR} status --porcelain --untracked-files=no
                      OUTPUT_VARIABLE _changes RESULT_VARIABLE _rc ERROR_QUIET)
      if(_rc EQUAL 0 AND NOT _changes STREQUAL "")
        string(APPEND FLASHSCOPE_GIT_COMMIT "-dirty")
      endif()
    endif()
  endif()
endif()
set(FLASHSCOPE_VERSION ${VERSION})
configure_file(${INPUT} ${OUTPUT} @ONLY)
