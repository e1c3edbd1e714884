# Rebuilds tests/fixtures/suggest/tiny-index.bin from tiny-log.csv and fails if the bytes differ.
set(FIXTURES ${SOURCE}/tests/fixtures/suggest)
execute_process(COMMAND ${TOOL} build ${FIXTURES}/tiny-log.csv --preset online-retail --half-life-days 0 --min-support 1
                        --k 4 --catalog-version tiny-1 --source tiny-log.csv --out ${OUT} --quiet
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "suggest-index build failed (${status})")
endif()
file(READ ${OUT} built HEX)
file(READ ${FIXTURES}/tiny-index.bin committed HEX)
if(NOT built STREQUAL committed)
  message(FATAL_ERROR "tests/fixtures/suggest/tiny-index.bin is out of date: rebuild it with the command in tests/fixtures/suggest/README.md")
endif()
