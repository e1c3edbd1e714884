# The command line never fails silently: run as a merchant would, `build` reads every time format it
# documents, refuses an unreadable or empty log with exit 1 naming the column and a row, says when a size
# budget lowers K, and `inspect` prints items, edges and K per item.
#   cmake -DTOOL=path/to/suggest-index -DWORK=scratch-dir -P check-cli.cmake
file(REMOVE_RECURSE ${WORK})  # files of an earlier run would hide a refused build that wrote one
file(MAKE_DIRECTORY ${WORK})

# Runs the tool; its exit status must be `expected`; stdout and stderr together land in `output`.
function(run_tool expected output)
  execute_process(COMMAND ${TOOL} ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status STREQUAL "${expected}")
    message(SEND_ERROR "suggest-index ${ARGN}: exit ${status}, expected ${expected}\n${out}${err}")
  endif()
  set(${output} "${out}${err}" PARENT_SCOPE)
endfunction()

function(expect_text output text)
  string(FIND "${output}" "${text}" at)
  if(at EQUAL -1)
    message(SEND_ERROR "expected \"${text}\" in:\n${output}")
  endif()
endfunction()

# A built index within its budget.
function(expect_at_most_bytes path budget)
  file(SIZE ${path} size)
  if(size GREATER budget)
    message(SEND_ERROR "${path} has ${size} bytes, over its budget of ${budget}")
  endif()
endfunction()

# (--quantity-column= : an empty value, which a CMake list would drop)
set(click_columns --basket-column session --item-column item --time-column time --quantity-column=)

# Epoch seconds and milliseconds, with and without a fraction, and ISO 8601 with and without an offset.
file(WRITE ${WORK}/times.csv "session,item,time
s1,100,1396860669.277
s1,101,1396860670
s1,102,1396860671277
s2,100,1396860700277.5
s2,101,2014-04-07T08:51:09.277+02:00
s2,102,2014-04-07 08:52
s3,101,2014-04-07T08:53:00Z
s3,102,1396860800
")
run_tool(0 out build ${WORK}/times.csv ${click_columns} --min-support 1 --out ${WORK}/times.bin)
expect_text("${out}" "8 used; skipped none")
expect_text("${out}" "3 items (decimal ids)")
expect_text("${out}" "events 2014-04-07 .. 2014-04-07")
run_tool(0 out inspect ${WORK}/times.bin)
expect_text("${out}" "3 items, K = 24, 6 bought-together, 0 viewed-together and 0 viewed-next edges")
expect_text("${out}" "bought-together neighbours per item: median 2, mean 2.0, max 2; 0 items at K, 0 with none")
expect_text("${out}" "most popular: 101; its bought-together neighbours: 102")

# 10 of 100 rows with an unreadable time: over the default 5 %, refused; allowed at 20 %.
set(rows "session,item,time\n")
foreach(i RANGE 0 89)
  math(EXPR basket "${i} / 3")
  math(EXPR item "100 + ${i} % 7")
  string(APPEND rows "s${basket},${item},1396860669.277\n")
endforeach()
foreach(i RANGE 0 9)
  string(APPEND rows "t${i},200,yesterday\n")
endforeach()
file(WRITE ${WORK}/unreadable.csv "${rows}")
run_tool(1 out build ${WORK}/unreadable.csv ${click_columns} --out ${WORK}/unreadable.bin)
expect_text("${out}" "column time: 10 of 100 rows (10.0%, over --max-unreadable 5.0%) could not be read")
expect_text("${out}" "line 92: t0,200,yesterday")
if(EXISTS ${WORK}/unreadable.bin)
  message(SEND_ERROR "a refused build wrote ${WORK}/unreadable.bin")
endif()
run_tool(0 out build ${WORK}/unreadable.csv ${click_columns} --max-unreadable 20 --out ${WORK}/unreadable.bin --quiet)

# Every row left out: no index of 0 items, exit 1 naming the column and the first row; eval refuses it too.
run_tool(1 out build ${WORK}/unreadable.csv ${click_columns} --max-unreadable 20 --item-pattern "[A-Z]" --out ${WORK}/empty.bin)
expect_text("${out}" "column item")
expect_text("${out}" "so the index would have 0 items")
expect_text("${out}" "line 2: s0,100,1396860669.277")
if(EXISTS ${WORK}/empty.bin)
  message(SEND_ERROR "a refused build wrote ${WORK}/empty.bin")
endif()
run_tool(1 out eval ${WORK}/unreadable.csv ${click_columns} --max-unreadable 20 --item-pattern "[A-Z]" --split 2014-04-08)
expect_text("${out}" "so the index would have 0 items")

# A 3,000-product click log with 9-digit ids within 50 KB: every viewed-next rule stays (K = 24) with coarser
# scores, and the tool says so and that the viewed-together lists were left out for the rules.
run_tool(0 out synth-log --items 3000 --sessions 8000 --out ${WORK}/clicks.csv)
set(click_log ${WORK}/clicks.csv ${click_columns} --event-column type)
run_tool(0 out build ${click_log} --max-bytes 50k --out ${WORK}/clicks-50k.bin)
expect_text("${out}" "note: within the budget of 51,200 bytes scores are stored in 7 bits (of 8)")
expect_text("${out}" "warning: within the budget, viewed-together neighbours were left out")
if(out MATCHES "cut K")
  message(SEND_ERROR "50 KB keeps K = 24, yet the tool says it cut K:\n${out}")
endif()
expect_at_most_bytes(${WORK}/clicks-50k.bin 51200)
run_tool(0 out inspect ${WORK}/clicks-50k.bin)
expect_text("${out}" "format 3, 48,542 bytes, 7-bit scores")
expect_text("${out}" "2,991 items, K = 24, 0 bought-together, 0 viewed-together and 24,794 viewed-next edges")
expect_text("${out}" "viewed-next neighbours per item: median 8, mean 8.3, max 22; 0 items at K, 31 with none")
expect_text("${out}" "; its viewed-next neighbours: ")
# Within 30 KB the budget cuts K, and the tool says by how much; inspect shows the rules per item.
run_tool(0 out build ${click_log} --max-bytes 30k --out ${WORK}/clicks-30k.bin)
expect_text("${out}" "warning: the budget of 30,720 bytes cut K from 24 to 10 neighbours per item")
expect_text("${out}" "note: within the budget of 30,720 bytes scores are stored in 4 bits (of 8)")
expect_at_most_bytes(${WORK}/clicks-30k.bin 30720)
run_tool(0 out inspect ${WORK}/clicks-30k.bin)
expect_text("${out}" "K = 10, 0 bought-together, 0 viewed-together and 14,332 viewed-next edges")
expect_text("${out}" "viewed-next neighbours per item: median 5, mean 4.8, max 10; 2 items at K, 31 with none")
# Without a budget nothing is said.
run_tool(0 out build ${click_log} --out ${WORK}/clicks.bin --quiet)
if(NOT out STREQUAL "")
  message(SEND_ERROR "a build without a budget printed with --quiet:\n${out}")
endif()
