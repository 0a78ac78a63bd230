# Writes OUT, a header naming the commit the sources were built from, so that
# a decision's recorded version tells an auditor which code made it: "0.5.0"
# alone was the same for every build. Run at each build (src/CMakeLists.txt);
# the header is rewritten only when the commit changes, so nothing else is
# recompiled. A tree with uncommitted changes says so ("+1a2b3c4d5e6f.modified");
# sources outside a git clone give the project version alone.
execute_process(COMMAND git -C "${SOURCE_DIR}" rev-parse --short=12 HEAD
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
set(id "")
if(NOT failed AND commit)
  set(id "+${commit}")
  execute_process(COMMAND git -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
                  OUTPUT_VARIABLE changes ERROR_QUIET RESULT_VARIABLE status_failed)
  if(status_failed OR changes)
    string(APPEND id ".modified")
  endif()
endif()
set(text "#define PROACTIF_COMMIT \"${id}\"\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" before)
endif()
if(NOT before STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
