# The next-event target on the synthetic click log of one seed: `eval --protocol next --check` exits 1 unless one
# CartKeep placement is 20 % above last-item co-occurrence on both HR@20 and MRR@20.
#   cmake -DTOOL=path/to/suggest-index -DWORK=scratch-dir -DSEED=12 -P check-next-event.cmake
file(MAKE_DIRECTORY ${WORK})
set(log ${WORK}/clicks-${SEED}.csv)
execute_process(COMMAND ${TOOL} synth-log --items 3000 --sessions 8000 --seed ${SEED} --out ${log} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "synth-log failed (${status})")
endif()
execute_process(COMMAND ${TOOL} eval ${log} --basket-column session --item-column item --time-column time --event-column type
                        --quantity-column= --split 2020-01-23 --protocol next --check
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the next-event target is not met on the synthetic click log of seed ${SEED} (exit ${status})")
endif()
