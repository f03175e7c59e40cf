#pragma once
// The parameter panel: GPU (preset or file), every problem field, algorithm, tile and model.
// Each field is checked as it is typed (the same checks the simulator runs); an invalid field is
// marked with the simulator's message and nothing is emitted, so the views keep the last result.
// Widgets are named after the simulator's field names (batch, seq_q, block_m, ...).
#include <QMap>
#include <QWidget>
#include <optional>

#include "gui_configuration.hpp"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace flashscope::gui {

class ParameterPanel : public QWidget {
    Q_OBJECT
public:
    explicit ParameterPanel(QWidget* parent = nullptr);

    // The last configuration that passed every check.
    const GuiConfiguration& configuration() const { return m_valid; }
    // Fills every widget, then checks and emits once.
    void set_configuration(const GuiConfiguration& config);
    void set_tile_blocks(std::int64_t block_m, std::int64_t block_n);
    void add_gpu_file(const QString& path);

    // Marks the widgets of a simulator field ("batch*heads", "tile (flash2_fwd)", "warps", ...).
    void mark_error(const QString& field, const QString& message);
    void clear_errors();
    bool has_error() const { return !m_marked.isEmpty(); }
    QString error_text() const;
    QStringList marked_fields() const { return m_marked; }
    QWidget* field_widget(const QString& name) const { return m_widgets.value(name); }

Q_SIGNALS:
    void configuration_edited(const flashscope::gui::GuiConfiguration& config);
    void gpu_file_requested();

private:
    void on_edited();
    std::optional<GuiConfiguration> collect();
    QLineEdit* add_line(const QString& name, const QString& tooltip, bool integer);
    QComboBox* add_combo(const QString& name, const QStringList& items);
    QStringList widgets_for(const QString& field) const;

    QMap<QString, QWidget*> m_widgets;
    QStringList m_marked;
    QLabel* m_error;
    QLabel* m_cli;
    GuiConfiguration m_valid;
    bool m_filling = false;
};

}  // namespace flashscope::gui
