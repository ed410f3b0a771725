# share.cmake: ctest settings of the sharing tests (report, export, leaderboard).
# test_report_full runs the whole `full` preset (496 cases) on ane-sim:m5: about
# 1.5 minutes on an idle two-core machine, up to 6 at a load average of 17;
# the default e2e timeout (600 s) is too tight on a busy machine.
if(TEST e2e.test_report_full)
  set_tests_properties(e2e.test_report_full PROPERTIES TIMEOUT 1800)
endif()
