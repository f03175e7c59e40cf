#include "gui_test_support.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QTest>

namespace flashscope::gui::test {

void type_into(ParameterPanel& panel, const QString& field, const QString& text) {
    auto* edit = qobject_cast<QLineEdit*>(panel.field_widget(field));
    Q_ASSERT(edit);
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
}

void choose(ParameterPanel& panel, const QString& field, const QString& item) {
    auto* combo = qobject_cast<QComboBox*>(panel.field_widget(field));
    Q_ASSERT(combo);
    combo->setCurrentIndex(combo->findText(item));
}

void set_checked(ParameterPanel& panel, const QString& field, bool checked) {
    auto* box = qobject_cast<QCheckBox*>(panel.field_widget(field));
    Q_ASSERT(box);
    if (box->isChecked() != checked)
        QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(4, box->height() / 2));
}

bool settle(MainWindow& window, int timeout_ms) {
    return window.controller()->wait_until_idle(timeout_ms);
}

QString data_file(const char* name) {
    return QStringLiteral(FLASHSCOPE_GUI_TEST_DATA "/") + QLatin1String(name);
}

}  // namespace flashscope::gui::test
