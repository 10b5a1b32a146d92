include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
install(TARGETS hparams EXPORT hparamsTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/hparams DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT hparamsTargets NAMESPACE hparams:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hparams)
install(FILES cmake/FindGMP.cmake DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hparams)
configure_package_config_file(cmake/hparamsConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/hparamsConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hparams)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/hparamsConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/hparamsConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/hparamsConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hparams)
configure_file(cmake/hparams.pc.in ${CMAKE_CURRENT_BINARY_DIR}/hparams.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/hparams.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
